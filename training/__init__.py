"""Training the neural rankers: training data from the store (simulated patients, article
snippets), the contrastive prototype loop and one training run end to end. Beside `app`:
it uses `evaluation`, `indexer` and `models`, and nothing of the web side.
"""
