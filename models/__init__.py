"""The neural side of Zebra search: text encoding, the three architectures
(Chars2Words2Doc BLSTM, Chars2Doc BLSTM, Chars2Doc CNN), training, checkpoints
and prediction with attention. Imports nothing else of the project.
"""
