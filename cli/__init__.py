"""The `zebra` command line, the top floor: each command reads the one `Settings` object
and hands explicit values to the layers below (`app`, `training`, `evaluation`, `indexer`).
"""
