"""Lexical search backends behind one interface (`LexicalIndex`)."""
