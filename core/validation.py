"""The one describer of pydantic validation errors: a sentence naming the field, the value,
the limit and the fix. Callers name fields their own way (API parameters, JSONL lines) and
may word a kind of error for their users (`overrides`)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

Wording = Callable[[str, Any, dict], str]  # (field name, value, ctx) → sentence
BOUNDS = ("greater_than_equal", "less_than_equal", "greater_than", "less_than")


def _bound(name: str, value: Any, ctx: dict, msg: str) -> str:
    bound = ctx.get("ge", ctx.get("gt", ctx.get("le", ctx.get("lt"))))
    return f"{name} is {value}; {msg.lower().replace('input', 'it')} (limit {bound})"


def describe(err: Mapping[str, Any], name: str, overrides: Mapping[str, Wording] | None = None) -> str:
    """One sentence for one error of `ValidationError.errors()`, its field already named `name`."""
    kind, value, ctx, msg = err.get("type", ""), err.get("input"), err.get("ctx") or {}, err.get("msg", "")
    if overrides and kind in overrides:
        return overrides[kind](name, value, ctx)
    if kind == "missing":
        return f"{name} is required"
    if kind == "string_too_long":
        return f"{name} has {len(value):,} characters; the limit is {ctx['max_length']:,}"
    if kind == "string_too_short":
        return f"{name} is empty; give at least {ctx['min_length']} character(s)"
    if kind in BOUNDS:
        return _bound(name, value, ctx, msg)
    if kind == "string_pattern_mismatch":
        hint = " (an HPO id such as HP:0001250)" if "HP:" in ctx.get("pattern", "") else \
            " (a disease id as a search's results give it, such as OMIM:154700)" if name.startswith("disease") else ""
        return f"{name} is {value!r}; it must match the pattern {ctx.get('pattern')}{hint}"
    if kind.endswith("_parsing") or kind.endswith("_type") or kind in ("enum", "literal_error"):
        return f"{name} is {value!r}; {msg.lower()}"
    return f"{name}: {msg}"
