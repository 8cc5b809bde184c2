"""What the span model's spans (`span-*` mentions, see kg.extract.model_mentions) say about one field's
rule candidates. Pure functions over mentions; the corpus step calls them per paper, so nothing here
depends on other papers.

- a name the rules found without a KB entry takes the type of the span around it (the rules' own guess
  is weaker than a model trained on typed mentions), unless a cue in the field typed it, the span is a
  longer task it is only part of, or it is a lower-case task phrase that a METHOD span holds;
- an undefined acronym that ends a capitalised METHOD/DATASET span takes the span as its name ("Penn WSJ");
- a name inside a METRIC span is a metric, never a method, and is dropped (unless the field defines it);
- a TASK span, cut to the task it names (`task_of`), is per-paper evidence that a concept phrase is a topic;
- a span that holds a task phrase as part of something else vetoes it (`reads_otherwise`);
- a capitalised or coined METHOD/DATASET span that no rule found is a name the KB does not know.
"""
from __future__ import annotations

import re
from collections import Counter

from kg.extract.lexicon import CONCEPT_HEADS, GENERIC_NAME_WORDS, IDEA_HEADS, NAME_STOP, NON_TOPIC_HEADS, PHRASE_STOP
from kg.extract.model import CONCEPT, DATASET, METHOD
from kg.extract.model_mentions import SPAN_RULE_SET
from kg.extract.mentions import CONFIDENCE, Mention, short_key
from kg.extract.names import name_shape
from kg.extract.names.objectives import OBJECTIVE_LIST, OBJECTIVE_NAME
from kg.extract.normalize import normalise, singular
from kg.extract.tasks import says_how

TYPE_OF_RULE = {"span-method": METHOD, "span-dataset": DATASET, "span-task": CONCEPT}
METRIC_RULE = "span-metric"
TASK_RULE = "span-task"
NAME_RULE = "span-name"
# Rules whose type is a guess from the name's shape or words nearby: the model's reading replaces it.
RETYPABLE = frozenset({"acronym", "coined-name", "abbrev", "shorthand"})
# Rules that type a name by the words around it in the paper ("X dataset", "we propose X", "called X").
CUE_RULES = frozenset({"dataset-cue", "propose-verb", "propose-phrase", "called-name"})
# Candidates that are topics, not names: a metric span around them does not make them metrics.
TOPIC_RULES = frozenset({"phrase-stats", "noun-phrase", "title-topic", "topic-word"})
# Candidates whose shape says what they are ("a clipped surrogate objective" is a loss): the model does not
# retype or drop them.
_JUDGED_BY_SHAPE = TOPIC_RULES | {OBJECTIVE_NAME, OBJECTIVE_LIST}
# "16x16", "1.5B", "300M", "44.1kHz", "8 GB": a quantity, never an entity.
_QUANTITY = re.compile(r"^[\d.,]+(\s*[x×]\s*[\d.,]+)*\s*[%A-Za-z]{0,3}$")


def split_spans(mentions: list[Mention]) -> tuple[list[Mention], list[Mention]]:
    """(rule candidates, model spans) of one field."""
    rules, spans = [], []
    for m in mentions:
        (spans if m.rule in SPAN_RULE_SET else rules).append(m)
    return rules, spans


def is_quantity(text: str) -> bool:
    return bool(_QUANTITY.match(text.strip()))


def covering_span(m: Mention, spans: list[Mention]) -> Mention | None:
    """The model span that holds `m` or that `m` holds (the widest overlap wins)."""
    best, width = None, 0
    for s in spans:
        if (s.start <= m.start and m.end <= s.end) or (m.start <= s.start and s.end <= m.end):
            overlap = min(s.end, m.end) - max(s.start, m.start)
            if overlap > width:
                best, width = s, overlap
    return best


def apply_spans(mentions: list[Mention], spans: list[Mention]) -> list[Mention]:
    """Type the rules' names from the spans around them and drop names the model reads as metrics."""
    longs = {short_key(m.text): m.long_form for m in mentions if m.long_form}  # "ANNS" is defined in this field
    # A cue in the field typed the name ("the PDTB corpus", "we propose X", "called X"): the model does not
    # overrule it.
    cued = {m.text for m in mentions if m.type and m.rule in CUE_RULES}
    out = []
    for m in mentions:
        if is_quantity(m.text) and not m.kb_key and m.rule != "shorthand":
            continue  # "CIFAR-10/100" writes "100" for a name: shorthand carries its long form
        s = covering_span(m, spans) if not m.kb_key and m.rule not in _JUDGED_BY_SHAPE else None
        if m.rule == "title-name" and not m.proposes and (s is None or s.rule != "span-method"):
            continue  # a capitalised title piece ("A Solvable Model of ..."): a name only if read as one
        if s is not None:
            long = m.long_form or longs.get(short_key(m.text))
            if s.rule == METRIC_RULE:
                if long:  # a short form the field defines is what its long form is ("Masked Autoencoders (MAE)")
                    out.append(m)
                continue  # "FID", "top-1 error": a metric is never a method
            if _widens(m, s, long):
                m = Mention(s.start, s.end, s.text, NAME_RULE, s.sentence, type=TYPE_OF_RULE[s.rule])
            elif _types(m, s, long or m.text):
                if m.text not in cued and (m.type is None or m.rule in RETYPABLE):
                    m.type = TYPE_OF_RULE[s.rule]
                if m.rule == "acronym":
                    m.confidence = max(m.confidence, CONFIDENCE[NAME_RULE])  # read as a name: worth keeping alone
        out.append(m)
    return out


def _types(m: Mention, s: Mention, long: str) -> bool:
    """Does the span's label say what `m` (written out as `long`) is? Not for a one-word name that a TASK
    span holds with words of its own ("ILSVRC" in "ILSVRC 2015 classification task", "SentEval" in "SentEval
    transfer tasks": the benchmark the task is on, not the task), nor a METHOD or DATASET label for a
    lower-case phrase that ends in a task ("approximate nearest neighbour search" is the task a method
    solves; a capitalised long form, "Maximum Likelihood Estimation", is a name and the model types it)."""
    if s.rule == TASK_RULE:
        return " " in m.text.strip() or not _content_words(_outside(s, m))
    return not _lower_case_task(long) and not _names_an_idea(long)


def _widens(m: Mention, s: Mention, long: str | None) -> bool:
    """An undefined acronym that ends a METHOD or DATASET span after capitalised words is the last part of the
    name the span reads ("WSJ" in "Penn WSJ"); words after it name a part or a variant ("ASCEND English")."""
    if m.rule != "acronym" or long or s.rule not in ("span-method", "span-dataset") or m.end != s.end:
        return False
    before = s.text[: m.start - s.start].split()
    return 1 <= len(before) <= 2 and all(w[:1].isupper() for w in before)


def _outside(s: Mention, m: Mention) -> list[str]:
    """The words of span `s` around `m`."""
    return f"{s.text[: max(0, m.start - s.start)]} {s.text[max(0, m.end - s.start):]}".split()


def _content_words(words: list[str]) -> list[str]:
    return [w for w in words if w.lower() not in PHRASE_STOP and singular(w.lower()) not in _TASK_NOUNS
            and not w.replace(".", "").isdigit()]


def _names_an_idea(text: str) -> bool:
    """"stochastic differential equations": a name headed by an idea is a Concept whatever the model reads."""
    words = text.split()
    return bool(words) and singular(words[-1].lower()) in IDEA_HEADS


def _lower_case_task(text: str) -> bool:
    words = text.split()
    return len(words) >= 2 and text == text.lower() and singular(words[-1]) in CONCEPT_HEADS


# Trailing words that say a span is a task, not which one: "video regression tasks", "the ranking problem".
_TASK_NOUNS = frozenset({"task", "problem", "setting", "benchmark"})


def reads_otherwise(start: int, end: int, spans: list[Mention]) -> bool:
    """Does the model read text[start:end], a task phrase by its words alone, as part of something else? A
    METHOD, DATASET or METRIC span holds it ("learning-based compression methods"), or a span goes on past
    its last word, so that word is no head ("challenges involve modeling" + "modeling long-term
    dependencies", "single-sample compression rates"; a TASK span's trailing "tasks" does not count)."""
    for s in spans:
        if s.rule == TASK_RULE:
            if s.start < end < _content_end(s):
                return True
        elif s.start <= start and end <= s.end or s.start < end < s.end:
            return True
    return False


def _content_end(s: Mention) -> int:
    """Where a TASK span's words end, before trailing "tasks", "problem" or stop words."""
    words = _task_words(s)
    return s.start + words[-1].end() if words else s.start


def _task_words(s: Mention) -> list:
    words = list(_TOKEN.finditer(s.text))
    while words and (singular(words[-1].group().lower()) in _TASK_NOUNS or words[-1].group().lower() in PHRASE_STOP):
        words.pop()
    return words


def task_of(s: Mention) -> Mention | None:
    """The task a TASK span names, as a `span-task` mention: without trailing "tasks", "problem" or stop
    words, and without leading words that say how well, how or at what scale ("fast document retrieval",
    "downstream analysis tasks", "Web-scale semantic search"). None for another span, when fewer than two
    words are left, or when the last word is no topic ("analysis", "framework", "convergence")."""
    if s.rule != TASK_RULE:
        return None
    words = _task_words(s)
    while words and says_how(words[0].group().lower()):
        words.pop(0)
    if len(words) < 2:
        return None
    head = words[-1].group().lower()
    if head in NON_TOPIC_HEADS or singular(head) in NON_TOPIC_HEADS or singular(head) in _NOT_TASKS:
        return None
    a, b = words[0].start(), words[-1].end()
    return Mention(s.start + a, s.start + b, s.text[a:b], TASK_RULE, s.sentence, type=CONCEPT)


_TOKEN = re.compile(r"\S+")


def inside_task(start: int, end: int, spans: list[Mention]) -> bool:
    """Is text[start:end] the task a TASK span names, or its end ("object tracking" in "multi-object
    tracking tasks"), without the span's words that say how ("fast", "downstream")?"""
    return any(t is not None and t.start <= start and end == t.end for t in map(task_of, spans))


def new_names(mentions: list[Mention], spans: list[Mention], repeated: set[str]) -> list[Mention]:
    """METHOD/DATASET spans that look like names and overlap no rule candidate: names the KB and the rules
    missed. A name holds a coined or acronym word, or is capitalised words (not all generic, not opening
    the sentence) that the paper writes at least twice (`repeated`: normalised span texts)."""
    out = []
    for s in spans:
        kind = TYPE_OF_RULE.get(s.rule)
        if kind not in (METHOD, DATASET) or not _name_like(s, repeated) or is_quantity(s.text):
            continue
        if any(m.start < s.end and s.start < m.end for m in mentions):
            continue
        out.append(Mention(s.start, s.end, s.text, NAME_RULE, s.sentence, type=kind))
    return out


def _name_like(s: Mention, repeated: set[str]) -> bool:
    words = s.text.split()
    if not words or s.text in NAME_STOP or words[0].lower() in PHRASE_STOP or not _PLAIN_NAME.match(s.text):
        return False
    if any(name_shape(w) for w in words):
        return len(words) <= 3
    if len(words) < 2 or not all(w[:1].isupper() or w.lower() in PHRASE_STOP for w in words):
        return False
    if all(w.lower() in GENERIC_NAME_WORDS or w.lower() in PHRASE_STOP for w in words):
        return False  # "Neural Networks", "Learning Algorithms"
    return not s.sentence.strip().startswith(s.text) and normalise(s.text) in repeated


_PLAIN_NAME = re.compile(r"^[\w][\w\s.+'-]*$")  # no "&", brackets or commas inside a name


def salient_task_keys(split: list, min_count: int = 2) -> set[str]:
    """Keys of the tasks that TASK spans name (`task_of`) which the paper writes at least twice."""
    counts = Counter(normalise(t.text) for _, _, spans in split for t in map(task_of, spans) if t is not None)
    return {key for key, n in counts.items() if n >= min_count}


_NOT_TASKS = frozenset({"task", "problem", "setting", "application", "domain", "analysis", "experiment", "result"})


def repeated_names(split: list) -> set[str]:
    """Normalised METHOD/DATASET span texts the paper writes at least twice."""
    counts = Counter(normalise(s.text) for _, _, spans in split for s in spans
                     if s.rule in ("span-method", "span-dataset"))
    return {k for k, n in counts.items() if n >= 2}
