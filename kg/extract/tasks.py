"""Task phrases a paper writes once: "lane detection", "morphological tagging", "video inpainting".

A phrase whose head names a concrete task (a detector, a tagger, a translator produces it) and whose
modifiers are content words is a task wherever it occurs, so it needs no second mention and no other paper.
Broader heads ("learning", "analysis", "optimization") still need the paper to repeat the phrase.
"""
from __future__ import annotations

import re

from kg.extract.lexicon import GENERIC_NAME_WORDS, LANGUAGES, PHRASE_STOP

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
    classical typical aforementioned above-mentioned naive vanilla plain popular common usual basic trivial
    comprehensive rigorous thorough theoretical actual quick isolated""".split())
_EVALUATIVE = GENERIC_NAME_WORDS | PHRASE_STOP | HOW_WORDS
# Adverbs that are adjectives, and plurals that are subjects: "early detection", "news recommendation".
_NOT_ADVERBS = frozenset("early daily family anomaly assembly".split())
_SINGULAR_IN_S = frozenset("news physics graphics robotics genomics mathematics economics linguistics".split())
# Nouns a task phrase can modify, naming a part or a kind of thing rather than the task: "reasoning steps".
_PART_NOUNS = frozenset("""step steps chain chains stage stages module modules component components layer layers
    head heads block blocks unit units process processes""".split())


def says_how(word: str) -> bool:
    """A lower-case word in front of a task that says how well, how or at what scale ("fast", "downstream",
    "web-scale"), or a stop word: not part of the task's name."""
    return word in HOW_WORDS or word in PHRASE_STOP or word.endswith("-scale")


# "English-to-French machine translation" is machine translation on one language pair, not a task of its own.
_LANGUAGE_PAIR = re.compile(rf"^({LANGUAGES})(-(to-)?({LANGUAGES}))?$")


def _modifier_reads_as_task_word(word: str, last: bool, judging: frozenset[str] = _EVALUATIVE) -> bool:
    """A modifier of a task, not a verb, a subject, a judgement, a how or a language pair: not "challenges involve
    modeling", "simultaneously clustering", "English-Russian translation" (translation on one pair); "weakly
    supervised" is fine (not last)."""
    if word in judging or says_how(word) or word.isdigit() or _LANGUAGE_PAIR.match(word):
        return False
    if last and word.endswith("ly") and word not in _NOT_ADVERBS:
        return False
    return "-" in word or not word.endswith("s") or word.endswith(("ss", "us", "is")) or word in _SINGULAR_IN_S


# Words before a phrase that make its first word a verb: "to encourage invariant predictions".
_VERB_BEFORE = frozenset("to can could may might will would must should we they which that".split())


def names_a_task(phrase: str, before: str = "", after: str = "") -> bool:
    """"lane detection", "part-of-speech tagging": 1-3 content modifiers before a concrete task head, written
    in the singular (a task, not "future generations"); `before` and `after` are the text around the phrase
    ("the intermediate reasoning steps" names steps, not a task)."""
    words = _WORD.findall(phrase.lower())
    if not 2 <= len(words) <= MAX_MODIFIERS + 1 or words[-1] not in TASK_HEADS:
        return False
    previous = _WORD.findall(before[-20:].lower())[-1:]
    if previous and previous[0] in _VERB_BEFORE:
        return False
    following = re.match(r"\s+([a-z]+)\b", after)
    if following and following.group(1) in _PART_NOUNS:
        return False
    modifiers = words[:-1]
    return all(_modifier_reads_as_task_word(w, i == len(modifiers) - 1) for i, w in enumerate(modifiers))


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
    return all(_modifier_reads_as_task_word(w, i == len(words) - 1, _NOT_NARROWING) for i, w in enumerate(words))




# Words in front of a known task that say how, how well or by what family, not which narrower task.
_NOT_NARROWING = (_EVALUATIVE - frozenset("multilingual sentence word subword language generative probabilistic "
                                          "statistical linear nonlinear non-linear multiple embedding".split())) \
    | frozenset("neural deep".split())
