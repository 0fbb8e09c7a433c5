"""Rankers: each maps a query to a ranking of diseases (lexical, neural, ontology)."""
