"""Component `kg_concept_phrases`: candidate task/concept phrases ending in a task head
("semantic image segmentation", "self-supervised learning").

Every candidate keeps its shorter variants (`Mention.starts`); the corpus step keeps the longest one
that recurs across papers or appears in a title, so one-off word salad does not become a concept.
With a parser loaded the phrase may not reach left of its noun chunk.
"""
from __future__ import annotations

import re
from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc, Span

from kg.extract.lexicon import (
    CONCEPT_HEADS,
    DATASET_CUES,
    FINDING_VERBS,
    GENERIC_NAME_WORDS,
    METHOD_CUES,
    NAME_STOP,
    NON_TOPIC_HEADS,
    PHRASE_STOP,
    STANDALONE_TOPICS,
    TITLE_CONNECTORS,
    TITLE_NAME_HEADS,
)
from kg.extract.mentions import Mention, mentions_of, sentence_of, text_of
from kg.extract.model import CONCEPT
from kg.extract.names import name_shape, words_of
from kg.extract.normalize import singular
from kg.extract.tasks import TASK_HEADS, names_a_task

MAX_MODIFIERS = 4
_DIMENSIONAL = re.compile(r"^[1-9]\.?5?[dD]$")
TOPIC_WORD = "topic-word"
MAX_TOPIC_WORDS = 5


def is_head(run: Span) -> bool:
    return _is_head_word(run.text.lower())


@lru_cache(maxsize=65536)
def _is_head_word(low: str) -> bool:
    return singular(low) in CONCEPT_HEADS or low.rsplit("-", 1)[-1] in CONCEPT_HEADS


def _modifier_ok(run: Span) -> bool:
    text = run.text
    low = text.lower()
    if _DIMENSIONAL.match(text):
        return True  # "6D pose estimation", "3D object recognition": the dimension is part of the task
    if low in PHRASE_STOP or text in NAME_STOP or low.split("-", 1)[0] in PHRASE_STOP:
        return False
    letters = sum(c.isalpha() for c in text)
    return letters >= 2 and all(c.isalnum() or c == "-" for c in text) and not (text.isupper() and len(text) > 1 and letters > 3)


class ConceptPhraseFinder:
    def __call__(self, doc: Doc) -> Doc:
        parsed = doc.has_annotation("DEP")
        chunk_start = _chunk_starts(doc) if parsed else {}
        words = words_of(doc)
        found = mentions_of(doc)
        if doc._.kg_field == "title":
            found.extend(title_topics(doc, words, found))
        for index, run in enumerate(words):
            if not is_head(run):
                continue
            starts = self._modifier_starts(doc, words, index)
            if not starts and "-" in run.text.strip("-"):
                starts = [run.start]  # "super-resolution" is a task on its own
            if parsed:
                floor = chunk_start.get(run.end - 1)
                starts = [s for s in starts if floor is None or s >= floor] if floor is not None else starts
            if singular(run.text.lower()) in STANDALONE_TOPICS or run.text.lower() in STANDALONE_TOPICS:
                # also under a modifier: "poor robustness" is dropped as a one-off phrase, the topic stays
                found.append(Mention(run.start_char, run.end_char, run.text, TOPIC_WORD, sentence_of(run), type=CONCEPT))
            if not starts:
                found.extend(listed_bare_task(doc, words, index))
                continue
            found.extend(coordinated_tasks(doc, words, index, starts[-1]))
            span = doc[starts[0] : run.end]
            found.append(
                Mention(
                    span.start_char,
                    span.end_char,
                    span.text,
                    "noun-phrase" if parsed else "phrase-stats",
                    sentence_of(span),
                    type=CONCEPT,
                    starts=tuple(doc[s].idx for s in starts),
                )
            )
        return doc

    @staticmethod
    def _modifier_starts(doc: Doc, words: list[Span], index: int) -> list[int]:
        """Token starts of 1..MAX_MODIFIERS modifier words before the head, longest first."""
        starts = []
        i = index - 1
        while i >= 0 and len(starts) < MAX_MODIFIERS:
            run, nxt = words[i], words[i + 1]
            if len(doc[run.end : nxt.start]) or not doc[run.end - 1].whitespace_ or not _modifier_ok(run) \
                    or run.text.lower() in FINDING_VERBS:
                break
            if run.text.lower().endswith("ing") and (run.text.lower() not in CONCEPT_HEADS or run.text[0].isupper()):
                break  # "Understanding X", "using X", "improving X": a verb, not part of the name
            starts.append(run.start)
            i -= 1
        return starts[::-1]


def coordinated_tasks(doc: Doc, words: list[Span], head_index: int, start: int) -> list[Mention]:
    """"car and lane detection", "part-of-speech and morphological tagging", "arithmetic, commonsense and
    symbolic reasoning": each word listed by commas and "and"/"or" before a one-word-modifier task phrase
    shares its head. Each mention sits on its word; its text is the task it names."""
    head = words[head_index]
    if start == 0 or head.start - start != 1 or doc[start - 1].lower_ not in ("and", "or"):
        return []
    out, gap = [], start - 1  # the token between this modifier and the next one to the left
    while True:
        if gap > 0 and doc[gap].lower_ in ("and", "or") and doc[gap - 1].text == ",":
            gap -= 1  # "A, B, and C"
        other = next((w for w in words if w.end == gap), None)
        if other is None or not _modifier_ok(other) or is_head(other) or (not out and _inside_a_compound(doc, other)) \
                or name_shape(other.text) or other.text.lower() in DATASET_CUES:
            break  # "the GLUE benchmark, MultiNLI and question answering": names listed, not tasks
        text = f"{other.text} {head.text}"
        if not names_a_task(text, text_of(doc)[: other.start_char]):
            break
        out.append(Mention(other.start_char, other.end_char, text, COORDINATED_TASK, sentence_of(other), type=CONCEPT))
        if other.start == 0 or doc[other.start - 1].text != ",":
            break
        gap = other.start - 1
    return out


COORDINATED_TASK = "task-coordination"
LISTED_TASK = "task-listed"
# Task heads that name the task on their own when listed with other tasks ("object detection and
# segmentation", "such as inpainting and colorization"). Not heads whose bare word names a broader task than
# the one meant ("detection", "classification", "translation" stand for object detection, image
# classification, machine translation) or an operation ("generation", "prediction", "estimation").
BARE_TASK_HEADS = frozenset(
    """segmentation retrieval tracking summarization summarisation parsing captioning tagging recommendation
    forecasting inpainting denoising super-resolution colorization deblurring dehazing transcription
    diarization localization localisation grounding reranking re-identification imputation registration""".split()
)
_LIST_WORDS = frozenset({"and", "or", ","})
_AFTER_LISTED = frozenset("task tasks benchmark benchmarks problem problems".split())


def listed_bare_task(doc: Doc, words: list[Span], index: int) -> list[Mention]:
    """A task head with no modifier of its own, listed beside another task ("COCO object detection and
    segmentation", "segmentation and depth estimation") or in a "such as" list under a task ("controllable
    generation such as inpainting and colorization"), is that task: the list says the bare word is a task,
    not a process ("segmentation masks", "after denoising")."""
    run = words[index]
    if run.text.lower() not in BARE_TASK_HEADS or run.text[0].isupper():
        return []
    following = doc[run.end] if run.end < len(doc) else None
    if following is not None and following.is_alpha and following.lower_ not in PHRASE_STOP | _AFTER_LISTED:
        return []  # "segmentation masks": the word modifies a noun
    if not (_listed_after_a_task(doc, run.start) or _listed_before_a_task(doc, words, index)
            or _in_a_such_as_list(doc, run.start)):
        return []
    return [Mention(run.start_char, run.end_char, run.text, LISTED_TASK, sentence_of(run), type=CONCEPT)]


def _listed_after_a_task(doc: Doc, start: int) -> bool:
    """"object detection and segmentation": "and"/"or" right after a task head."""
    return start >= 2 and doc[start - 1].lower_ in ("and", "or") and doc[start - 2].lower_ in TASK_HEADS


def _listed_before_a_task(doc: Doc, words: list[Span], index: int) -> bool:
    """"segmentation and depth estimation": the bare word opens the list, a task phrase closes it."""
    run = words[index]
    if run.start and doc[run.start - 1].is_alpha and doc[run.start - 1].lower_ not in PHRASE_STOP:
        return False
    if run.end >= len(doc) or doc[run.end].lower_ not in ("and", "or"):
        return False
    following = [w for w in words[index + 1 : index + 1 + MAX_MODIFIERS] if w.start > run.end]
    for i, other in enumerate(following):
        if other.text.lower() in TASK_HEADS:
            phrase = doc[following[0].start : other.end].text
            return i == 0 and other.text.lower() in BARE_TASK_HEADS or names_a_task(phrase)
        if not _modifier_ok(other):
            return False
    return False


def _in_a_such_as_list(doc: Doc, start: int) -> bool:
    """"generation such as inpainting and colorization": the list after "such as" under a task head."""
    i = start - 1
    while i >= 1:
        if doc[i].lower_ == "as" and doc[i - 1].lower_ == "such":
            return i >= 2 and (doc[i - 2].lower_ in CONCEPT_HEADS or doc[i - 2].lower_ in _AFTER_LISTED)
        if doc[i].lower_ in _LIST_WORDS or doc[i].lower_ in BARE_TASK_HEADS:
            i -= 1
            continue
        return False
    return False


def _inside_a_compound(doc: Doc, word: Span) -> bool:
    """"sentence representation and text classification", "Reverse Dictionary and Definition Modelling": a
    word after another content word belongs to that compound, so it does not share the head across "and".
    A verb or a plural in front ("covers", "tasks") opens no compound."""
    if word.start == 0:
        return False
    before = doc[word.start - 1]
    low = before.lower_
    return before.is_alpha and low not in PHRASE_STOP and not low.endswith(("s", "ed"))


def title_topics(doc: Doc, words: list[Span], known: list[Mention]) -> list[Mention]:
    """Multi-word title pieces that read like a topic ("Length Generalization", "Word Substitution Errors",
    "Irregularly Sampled Time Series"), whatever their head word. Each keeps its shorter tails as
    alternatives; the corpus step keeps the longest one the abstract repeats, which is what makes a
    title phrase the paper's topic rather than decoration."""
    text = text_of(doc)
    if text.upper() == text:
        return []
    named = [(m.start, m.end) for m in known if m.kb_key and m.type != CONCEPT or m.rule == "title-prefix"]
    out = []
    for piece in _title_pieces(doc, words):
        starts = [i for i in range(len(piece) - 1) if _topic_start_ok(piece[i])
                  and not (i and piece[i - 1].text.lower() in _COMPOUNDING)][: MAX_TOPIC_WORDS]
        starts = [i for i in starts if len(piece) - i <= MAX_TOPIC_WORDS]
        if not starts or not _topic_head_ok(piece[-1]):
            continue
        span = doc[piece[starts[0]].start : piece[-1].end]
        if any(a < span.end_char and span.start_char < b for a, b in named):
            continue  # holds a known method or dataset, or the paper's own name: a name, not a topic
        out.append(Mention(span.start_char, span.end_char, span.text, "title-topic", sentence_of(span), type=CONCEPT,
                           starts=tuple(piece[i].start_char for i in starts)))
    return out


def _title_pieces(doc: Doc, words: list[Span]) -> list[list[Span]]:
    """The title cut at connector words, punctuation and name-like tokens (acronyms, coined names).
    A piece after "with"/"using"/"via" is the tool the paper uses, not its topic, and is left out."""
    pieces, piece, tool = [], [], False
    for run in [*words, None]:
        gap = run is not None and piece and len(doc[piece[-1].end : run.start]) > 0
        breaks = run is None or gap or run.text.lower() in TITLE_CONNECTORS or name_shape(run.text) is not None
        if breaks:
            if len(piece) >= 2 and not tool:
                pieces.append(piece)
            piece = []
            if run is not None and (gap or run.text.lower() in TITLE_CONNECTORS) and run.text.lower() not in _ARTICLES:
                tool = run.text.lower() in _TOOL_CONNECTORS
            if run is None or run.text.lower() in TITLE_CONNECTORS or name_shape(run.text) is not None:
                continue
        piece.append(run)
    return pieces


_TOOL_CONNECTORS = frozenset({"with", "using", "via", "by", "through"})
_ARTICLES = frozenset({"a", "an", "the"})


# Stop-listed adjectives that make a compound with the next title word: "High Fidelity", "Low Rank", "Long Range".
_COMPOUNDING = frozenset("high low long short large small".split())


def _topic_start_ok(run: Span) -> bool:
    low = run.text.lower()
    if low in PHRASE_STOP or run.text in NAME_STOP or not any(c.isalpha() for c in low):
        return False
    return not (low.endswith("ing") and low not in CONCEPT_HEADS)  # "Assessing X", "Leveraging X"


_BLOCKED_HEADS = (METHOD_CUES | TITLE_NAME_HEADS | NON_TOPIC_HEADS | PHRASE_STOP | GENERIC_NAME_WORDS) - CONCEPT_HEADS


def _topic_head_ok(run: Span) -> bool:
    low = run.text.lower()
    last = low.rsplit("-", 1)[-1]
    blocked = _BLOCKED_HEADS
    return run.text.replace("-", "").isalpha() and low not in blocked and singular(last) not in blocked and last not in blocked


def _chunk_starts(doc: Doc) -> dict[int, int]:
    """Root token index → first content token of its noun chunk (determiners and stop words skipped)."""
    out = {}
    for chunk in doc.noun_chunks:
        start = chunk.start
        while start < chunk.end - 1 and (doc[start].lower_ in PHRASE_STOP or doc[start].pos_ in ("DET", "PRON", "NUM")):
            start += 1
        out[chunk.root.i] = start
        out[chunk.end - 1] = start
    return out


@Language.factory("kg_concept_phrases", assigns=["doc._.kg_mentions"])
def make_concept_phrase_finder(nlp: Language, name: str):
    return ConceptPhraseFinder()
