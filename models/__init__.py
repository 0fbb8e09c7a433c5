"""The neural side of Zebra search: text encoding, the three architectures
(Chars2Words2Doc BLSTM, Chars2Doc BLSTM, Chars2Doc CNN), training, checkpoints
and prediction with attention. Imports nothing else of the project.
"""

ARCHITECTURE_NAMES = ("c2w2d", "c2d-blstm", "c2d-cnn")  # the keys of models.registry.ARCHITECTURES
