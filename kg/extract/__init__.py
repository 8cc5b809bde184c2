"""Extraction of methods, datasets and concepts (with evidence) from paper titles and abstracts.

`Extractor` is imported on first use: read-only commands import kg.extract.model (plain records) without
paying for spaCy.
"""
__all__ = ["Extractor"]


def __getattr__(name):
    if name == "Extractor":
        from kg.extract.extractor import Extractor

        return Extractor
    raise AttributeError(name)
