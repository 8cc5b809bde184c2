"""Task phrases a paper writes once: "lane detection", "morphological tagging", "video inpainting".

A phrase whose head names a concrete task (a detector, a tagger, a translator produces it) and whose
modifiers are content words is a task wherever it occurs, so it needs no second mention and no other paper.
Broader heads ("learning", "analysis", "optimization") still need the paper to repeat the phrase.
"""
from __future__ import annotations

import re

from kg.extract.lexicon import GENERIC_NAME_WORDS, PHRASE_STOP

TASK_PHRASE = "task-phrase"
# Heads of tasks with an output of their own. Not: learning, analysis, optimization, adaptation, search...
TASK_HEADS = frozenset(
    """classification detection segmentation recognition translation generation estimation retrieval answering
    prediction synthesis completion tracking summarization summarisation parsing captioning labeling labelling
    tagging recommendation forecasting reconstruction localization localisation inpainting denoising
    super-resolution identification re-identification imputation interpolation grounding reranking
    colorization deblurring dehazing registration transcription diarization verification reasoning modeling
    modelling understanding compression editing""".split()
)
MAX_MODIFIERS = 3
_WORD = re.compile(r"[\w-]+")
# Modifiers that say how well or how, not which task ("accurate detection", "joint estimation").
HOW_WORDS = frozenset(
    """accurate fast faster scalable joint automatic automated end-to-end state-of-the-art sota reliable
    precise improved enhanced superior competitive downstream final resulting underlying corresponding
    controllable impressive detailed desired remarkable promising excellent significant poor
    substantial notable realistic diverse high-quality five six seven eight nine ten modern explicit implicit
    classical typical""".split())
_EVALUATIVE = GENERIC_NAME_WORDS | PHRASE_STOP | HOW_WORDS


def says_how(word: str) -> bool:
    """A lower-case word in front of a task that says how well, how or at what scale ("fast", "downstream",
    "web-scale"), or a stop word: not part of the task's name."""
    return word in HOW_WORDS or word in PHRASE_STOP or word.endswith("-scale")


# Words before a phrase that make its first word a verb: "to encourage invariant predictions".
_VERB_BEFORE = frozenset("to can could may might will would must should we they which that".split())


def names_a_task(phrase: str, before: str = "") -> bool:
    """"lane detection", "part-of-speech tagging": 1-3 content modifiers before a concrete task head, written
    in the singular (a task, not "future generations"); `before` is the text ahead of the phrase."""
    words = _WORD.findall(phrase.lower())
    if not 2 <= len(words) <= MAX_MODIFIERS + 1 or words[-1] not in TASK_HEADS:
        return False
    previous = _WORD.findall(before[-20:].lower())[-1:]
    if previous and previous[0] in _VERB_BEFORE:
        return False
    return not any(w in _EVALUATIVE or says_how(w) or w.isdigit() for w in words[:-1])


def narrows(phrase: str, known: str, before: str = "") -> bool:
    """`phrase` is `known` with words of its own in front that name a narrower task ("6D pose estimation",
    "weakly supervised object detection", "cross-lingual natural language inference", "unconditional image
    generation"), not a verb or a plural ("renders explicit outlier detection"), a judgement ("modern program
    synthesis") or the neural family that solves it ("neural machine translation")."""
    low, base = phrase.lower(), known.lower()
    if not low.endswith(base) or len(low) == len(base):
        return False
    words = _WORD.findall(low[: len(low) - len(base)].strip(" -"))
    previous = _WORD.findall(before[-20:].lower())[-1:]
    if not 1 <= len(words) <= MAX_MODIFIERS or (previous and previous[0] in _VERB_BEFORE):
        return False
    return all(("-" in w or not w.endswith("s")) and w not in _NOT_NARROWING and not says_how(w) and not w.isdigit()
               for w in words)


# Words in front of a known task that say how, how well or by what family, not which narrower task.
_NOT_NARROWING = (_EVALUATIVE - frozenset("multilingual sentence word subword language generative probabilistic "
                                          "statistical linear nonlinear non-linear multiple embedding".split())) \
    | frozenset("neural deep".split())
