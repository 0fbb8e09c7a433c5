"""Phenotype-aware query understanding: HPO findings recognised in free text (observed or excluded),
an ontology ranker scoring diseases by semantic similarity to them, and what to ask next.

Reads the HPO release (recognizer) and the SQL store (ranker); wiring into search and fusion lives in `app`.
"""
