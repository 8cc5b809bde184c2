"""kg: listings of machine-learning papers → a knowledge graph of papers, authors, methods, datasets, concepts."""

__version__ = "0.1.0"
