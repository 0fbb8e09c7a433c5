"""What every `zebra` command shares: the consoles, the one-line failure and the one Settings object."""

from __future__ import annotations

from typing import NoReturn

import typer
from pydantic import ValidationError
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
    """The Settings of this invocation (read once when the command starts), with logging set up; a setting out of
    its bounds ends the command naming the variable, its value and the limit."""
    try:
        current = get_settings()
    except ValidationError as exc:
        fail("; ".join(_setting_error(e) for e in exc.errors()) + "; fix it in the environment or in .env")
    setup_logging(current.log_level)
    return current


def _setting_error(error: dict) -> str:
    """"ZEBRA_RECENT_SEARCHES='5000': Input should be less than or equal to 1024" for one of pydantic's errors."""
    name = "ZEBRA_" + str(error["loc"][0]).upper() if error.get("loc") else "a setting"
    return f"{name}={error.get('input')!r}: {error['msg']}"
