"""The layering holds: `lint-imports` checks the contracts in pyproject.toml, and they cover every package."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).parents[1]
LINT_IMPORTS = str(Path(sys.executable).with_name("lint-imports"))


def _config() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]


def test_import_contracts_are_kept():
    r = subprocess.run([LINT_IMPORTS, "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-2000:]
    assert "Contracts: 2 kept, 0 broken." in r.stdout


def test_the_layers_contract_covers_every_package():
    packages = {p.parent.name for p in ROOT.glob("*/__init__.py") if p.parent.name != "tests"}
    layers = next(c for c in _config()["contracts"] if c["type"] == "layers")["layers"]
    layered = {name.strip() for layer in layers for name in layer.split("|")}
    assert layered == packages == set(_config()["root_packages"])


def test_no_library_folder_imports_the_app():
    lower = ("indexer", "models", "evaluation", "training", "core")
    offenders = [str(path.relative_to(ROOT)) for folder in lower for path in (ROOT / folder).rglob("*.py")
                 if any(line.lstrip().startswith(("from app", "import app", "from cli", "import cli"))
                        for line in path.read_text().splitlines())]
    assert offenders == []
