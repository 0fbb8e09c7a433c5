"""The README documents every setting and both set-up commands."""

from pathlib import Path

from core.config import Settings

README = (Path(__file__).resolve().parents[1] / "README.md").read_text()


def test_readme_documents_every_setting():
    missing = [f"ZEBRA_{name.upper()}" for name in Settings.model_fields if f"`ZEBRA_{name.upper()}`" not in README]
    assert missing == []


def test_readme_gives_the_two_commands():
    assert "make run" in README and "make test" in README
