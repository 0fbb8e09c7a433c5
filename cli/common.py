"""What every `zebra` command shares: the consoles, the one-line failure and the one Settings object."""

from __future__ import annotations

from typing import NoReturn

import typer
from rich.console import Console

from core.config import Settings, get_settings
from core.logs import setup_logging

console = Console()
err = Console(stderr=True)


def fail(message: str) -> NoReturn:
    """End the command with a one-line message and exit code 1."""
    err.print(f"[bold red]error:[/] {message}", highlight=False)
    raise typer.Exit(1)


def settings() -> Settings:
    """The Settings of this invocation (read once when the command starts), with logging set up."""
    current = get_settings()
    setup_logging(current.log_level)
    return current
