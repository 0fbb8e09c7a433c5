"""A depth limit on JSON bodies: nesting deeper than `MAX_JSON_DEPTH` is refused before any use.

Python's parser recurses, so ~1,000 levels raise RecursionError (a 500 if uncaught); far fewer
levels already mean the body is not what any route accepts. The depth is measured without recursion.
"""

from __future__ import annotations

import json

MAX_JSON_DEPTH = 32  # our bodies nest 3 levels ([{"gold": [...]}]); 32 leaves room and stops abuse


class JsonTooDeep(ValueError):
    """A JSON text nested deeper than the limit; the message names the limit and the fix."""

    def __init__(self, where: str = ""):
        super().__init__(f"{where}the JSON is nested more than {MAX_JSON_DEPTH} levels deep; the limit is "
                         f"{MAX_JSON_DEPTH}. Send flat objects as documented")


def depth(value: object) -> int:
    """How deeply lists and objects nest in a parsed JSON value (a scalar is 0)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, (list, dict)):
            deepest = max(deepest, level)
            stack.extend((child, level + 1) for child in (item.values() if isinstance(item, dict) else item))
    return deepest


def loads(text: str | bytes, where: str = "") -> object:
    """`json.loads`, refusing (JsonTooDeep) what nests deeper than the limit; other errors as json's own."""
    try:
        value = json.loads(text)
    except RecursionError:
        raise JsonTooDeep(where) from None
    if depth(value) > MAX_JSON_DEPTH:
        raise JsonTooDeep(where)
    return value


def check_jsonl_depth(data: bytes) -> None:
    """Refuse JSONL whose lines nest too deeply, naming the first such line; other faults are left to
    the reader of the lines (a line that is not JSON is its error to word)."""
    for number, line in enumerate(data.splitlines(), start=1):
        if line.count(b"[") + line.count(b"{") <= MAX_JSON_DEPTH:
            continue  # cannot nest deeper than it has brackets
        try:
            loads(line, f"line {number}: ")
        except JsonTooDeep:
            raise
        except ValueError:  # not JSON at all (UnicodeDecodeError is one too): the reader's error to word
            continue
