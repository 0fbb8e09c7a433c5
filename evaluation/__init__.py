"""Evaluation of rankers on query sets: simulated-patient query generation, the query-file
format, metrics (MRR, Recall@k, confidence intervals, error overlap, paired tests) and the
runner that ranks a query set and summarises it. Pure of web and CLI concerns; the `zebra`
CLI (`cli.evaluate`) and the app (`app.evaluations`) drive it.
"""
