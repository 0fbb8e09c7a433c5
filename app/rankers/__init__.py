"""The rankers a server can run, by name: one file in this folder each, registered below.

Adding a ranker: write `app/rankers/<name>.py` with a `Ranker` subclass (its `name`, its
capability flags) and a `load(context: LoadContext) -> Ranker | None` function (None: switched
off by the settings; raise `RankerNotLoaded` with the reason and the fix to show a notice),
then add one line to `REGISTRY`. The service, the API's `ranker` parameter, evaluation and
fusion tuning learn the names from here. Modules are imported only when loading, so
naming a ranker costs nothing (the neural one pulls in torch).
"""

from __future__ import annotations

REGISTRY: dict[str, str] = {  # name → module holding its `load`, in display order
    "lexical": "app.rankers.lexical",
    "neural": "app.rankers.neural",
    "ontology": "app.rankers.ontology",
}
RANKER_NAMES: tuple[str, ...] = tuple(REGISTRY)
