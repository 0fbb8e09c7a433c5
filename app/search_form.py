"""What the search form shows: the query, its filters and the limit. Shared by the search page and
every HTML error page (an error never loses the query). It renders nothing itself."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.service import SearchService

MAX_QUERY = 2000  # characters, as in the API


def form_context(service: SearchService | None, q: str = "", source: str | None = None,
                 ranker: str | None = None, group_by: str = "disease") -> dict:
    """The template values of the search form."""
    rankers = service.rankers if service is not None else []
    return {"q": q, "source": source, "ranker": ranker or (service.default_ranker if rankers else None),
            "rankers": rankers, "group_by": group_by, "max_query": MAX_QUERY}
