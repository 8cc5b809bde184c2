"""Evaluation of the extractor against gold annotations: reading gold files, running the extractor, scoring.

A package of its own, beside the data flow: it reads kg.ingest and runs kg.extract, and nothing imports it back.
"""
