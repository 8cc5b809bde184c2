"""Extraction of methods, datasets and concepts (with evidence) from paper titles and abstracts."""
from kg.extract.extractor import Extractor

__all__ = ["Extractor"]
