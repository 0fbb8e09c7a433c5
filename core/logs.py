"""The one logging set-up, called by entry points (the `zebra` CLI, the app factory, a training run)."""

from __future__ import annotations

import logging

FORMAT = "%(levelname)s %(name)s: %(message)s"


def setup_logging(level: str | int = "INFO") -> None:
    """Root logging at `level` in the project's one format (a no-op when already set up)."""
    logging.basicConfig(level=level, format=FORMAT)
