"""`python -m indexer` runs the `zebra` CLI."""

from indexer.cli import app

app()
