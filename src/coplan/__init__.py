"""coplan: plan projects co-produced with people with lived experience."""

__version__ = "0.1.0"
