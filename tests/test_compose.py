"""docker-compose.yml and the Dockerfile, checked without a Docker engine (none is on this machine).

What is checked: the compose file parses, every mounted host path and the Dockerfile exist, the
app's ZEBRA_* settings are fields of `Settings` with valid values, services wait for healthy
dependencies. What is not: building the image or running the stack.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from core.config import Settings

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_services_images_and_health(compose):
    services = compose["services"]
    assert set(services) == {"solr", "db", "app"}
    assert services["solr"]["image"] == "solr:9.10.1"
    assert services["db"]["image"] == "postgres:16"
    assert services["solr"]["command"][:2] == ["solr-precreate", "zebra"]
    for name, service in services.items():
        assert "test" in service["healthcheck"], name
    assert services["app"]["depends_on"] == {"solr": {"condition": "service_healthy"},
                                             "db": {"condition": "service_healthy"}}


def test_mounted_paths_and_dockerfile_exist(compose):
    named = set(compose["volumes"])
    for name, service in compose["services"].items():
        for volume in service.get("volumes", []):
            source, target, *mode = volume.split(":")
            if source in named:
                continue
            assert (ROOT / source).exists(), f"{name} mounts {source}, which does not exist"
            assert mode == ["ro"], f"{name} must mount {source} read-only"
    build = compose["services"]["app"]["build"]
    assert (ROOT / build["context"] / build["dockerfile"]).is_file()
    configset = compose["services"]["solr"]["command"][2]
    mounts = {v.split(":")[1]: v.split(":")[0] for v in compose["services"]["solr"]["volumes"]}
    assert (ROOT / mounts[configset] / "conf" / "solrconfig.xml").is_file()
    assert compose["services"]["db"]["volumes"][0].split(":")[0] in named  # PostgreSQL data outlives the container


def test_dockerfile_copies_what_the_app_needs():
    text = (ROOT / "Dockerfile").read_text()
    for folder in ("cli", "app", "training", "indexer", "models", "evaluation", "core", "frontend", "data"):
        assert f"COPY {folder} ./{folder}" in text and (ROOT / folder).is_dir()
    assert "zebra build --if-missing" in text and "zebra serve" in text


def test_app_settings_match_the_settings_class(compose):
    env = compose["services"]["app"]["environment"]
    fields = {f"ZEBRA_{name.upper()}" for name in Settings.model_fields}
    unknown = sorted(k for k in env if k.startswith("ZEBRA_") and k not in fields)
    assert unknown == [], f"compose sets {unknown}, which are not fields of core.config.Settings"
    settings = Settings(**{k.removeprefix("ZEBRA_").lower(): v for k, v in env.items()})
    assert settings.search_backend == "solr"
    assert settings.solr_url == "http://solr:8983/solr/zebra"
    assert settings.sql_url.startswith("postgresql+psycopg://") and "@db:5432/" in settings.sql_url
