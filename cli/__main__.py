"""`python -m cli` runs the `zebra` command line."""

from cli.main import app

app()
