"""Component `kg_abbreviations`: Schwartz–Hearst acronym definitions, both "Long Form (LF)" and "LF (Long Form)".

Each definition becomes an `Abbreviation` on the doc plus two `abbrev` mentions (long and short form);
the corpus step later links bare uses of the short form, even in other papers, to the long form.
"""
from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc

from kg.extract.lexicon import TITLE_CONNECTORS
from kg.extract.mentions import Abbreviation, abbreviations_of, make_mention, mentions_of, text_of

MAX_INSIDE_TOKENS = 12
_ODD_CHARS = re.compile(r"[()\[\]{}=;:!?\"\u2014\u2013$\\]")
LEADING_JUNK = {"the", "a", "an", "our", "this", "these", "its", "their", "of", "and", "or", "to", "for", "in", "on"}


def is_short_form(text: str) -> bool:
    """Acronym-shaped: 2–10 chars, ≤2 words, starts alphanumeric, has a letter and a capital."""
    words = text.split()
    return (
        2 <= len(text) <= 10
        and 1 <= len(words) <= 2
        and text[0].isalnum()
        and any(c.isalpha() for c in text)
        and any(c.isupper() for c in text)
        and text.lower() not in {"e.g.", "i.e.", "etc", "cf", "ii", "iii", "iv"}
    )


_NUMBER_WORDS = {"1": "one", "2": "two", "3": "three", "4": "four", "5": "five", "6": "six", "7": "seven",
                 "8": "eight", "9": "nine"}


def best_long_form(short: str, candidate: str) -> int | None:
    """Schwartz–Hearst: start offset in `candidate` of the shortest tail whose characters spell `short`.

    A leading digit may be spelt out: "Two-dimensional Matryoshka Sentence Embedding (2DMSE)"."""
    found = _spell(short, candidate)
    digit = short[:1]
    if found is None and digit in _NUMBER_WORDS and len(short) > 2 and not short[1].isdigit():
        found = _spell(short[1:], candidate)
        if found is not None:
            word = _NUMBER_WORDS[digit]
            found = found if candidate.lower().startswith(word + "-", found) or candidate.lower().startswith(word + " ", found) else None
    return found


def _spell(short: str, candidate: str) -> int | None:
    s, c = short.lower(), candidate.lower()
    si, ci = len(s) - 1, len(c) - 1
    while si >= 0:
        ch = s[si]
        if not ch.isalnum():
            si -= 1
            continue
        while ci >= 0 and (c[ci] != ch or (si == 0 and ci > 0 and c[ci - 1].isalnum())):
            ci -= 1
        if ci < 0:
            return None
        si -= 1
        ci -= 1
    start = c.rfind(" ", 0, ci + 1) + 1
    return _widen_hyphen_compound(s, c, start)


def _widen_hyphen_compound(short: str, cand: str, start: int) -> int:
    """"self-supervised learning (SSL)": plain SH stops at "supervised"; take the whole compound when
    every hyphen/space part then gets at most one letter of the short form."""
    if start < 2 or cand[start - 1] != "-":
        return start
    word_start = cand.rfind(" ", 0, start - 1) + 1
    widened = cand[word_start:]
    parts = widened.replace("-", " ").split()
    letters = sum(ch.isalpha() for ch in short)
    if widened[:1] == short[:1] and len(parts) <= letters:
        return word_start
    return start


def _fits(short: str, long: str) -> bool:
    words = long.replace("-", " ").split()
    letters = sum(c.isalnum() for c in short)
    return (
        len(long) > len(short)
        and len(words) <= min(letters + 5, letters * 2)
        and not _ODD_CHARS.search(long)
        and "--" not in long
        and "," not in long  # "the LTS loss, to optimize neural networks ... (LTS+NN)": a clause, not a name
    )


class AbbreviationDetector:
    def __call__(self, doc: Doc) -> Doc:
        for open_i, close_i in _parentheses(doc):
            inside = doc[open_i + 1 : close_i]
            found = self._long_then_short(doc, open_i, inside) or self._short_then_long(doc, open_i, inside)
            if found:
                self._record(doc, *found)
        if doc._.kg_field == "title":
            found = _title_definition(doc)
            if found:  # the title's words keep their own readings ("... Representation Learning" a topic)
                self._record(doc, *found, long_mention=False)
        return doc

    def _long_then_short(self, doc: Doc, open_i: int, inside):
        text = inside.text.split(";")[0].split(",")[0].strip()
        if not is_short_form(text) or open_i == 0:
            return None
        short = doc.char_span(inside.start_char, inside.start_char + len(text), alignment_mode="contract")
        sent_start = doc[open_i - 1].sent.start if doc.has_annotation("SENT_START") else 0
        window_start = max(sent_start, open_i - min(len(text) + 5, 2 * len(text)) - 2)
        window = doc[window_start:open_i]
        offset = best_long_form(text, window.text)
        if short is None or offset is None:
            return None
        long = doc.char_span(window.start_char + offset, window.end_char, alignment_mode="expand")
        return (short, long) if long is not None else None

    def _short_then_long(self, doc: Doc, open_i: int, inside):
        if open_i == 0 or len(inside) < 2:
            return None
        short = doc[open_i - 1 : open_i]
        if not is_short_form(short.text):
            return None
        offset = best_long_form(short.text, inside.text)
        if offset is None or offset > 0:
            return None  # the whole parenthesis must be the expansion
        return short, inside

    def _record(self, doc: Doc, short, long, long_mention: bool = True) -> None:
        while len(long) > 1 and long[0].lower_ in LEADING_JUNK:
            long = long[1:]
        if not _fits(short.text, long.text):
            return
        abbreviations_of(doc).append(
            Abbreviation(short.text, long.text, short.start_char, long.start_char, long.end_char)
        )
        found = mentions_of(doc)
        if long_mention:
            found.append(make_mention(long, "abbrev"))
        found.append(make_mention(short, "abbrev", long_form=long.text))


MAX_TITLE_SHORT_TOKENS = 3


def _title_definition(doc: Doc):
    """"MINE: Mutual Information Neural Estimation", "D'OH: Decoder-Only random Hypernetworks for ...":
    a title whose acronym-shaped prefix is spelt by the words right after the colon defines it there.
    The shortest run of words whose first word starts with the acronym's first letter, whose last word
    starts with its last letter and whose word initials hold all its letters in order is the long form."""
    colon = next((t.i for t in doc[: MAX_TITLE_SHORT_TOKENS + 1] if t.text == ":"), None)
    if not colon:
        return None
    short = doc[:colon]
    letters = [c.lower() for c in short.text if c.isalpha()]
    if not is_short_form(short.text) or len(letters) < 2 or short.text.lower() == short.text:
        return None
    rest_start = doc[colon].idx + 1
    text = text_of(doc)
    words = []
    for match in _TITLE_WORD.finditer(text, rest_start):
        if words and text[words[-1].end() : match.start()].strip():
            break  # punctuation between words ends the name
        words.append(match)
    capitals = [c.lower() for c in short.text if c.isupper()]
    spellings = [letters] + ([capitals] if len(capitals) >= 2 and capitals != letters else [])
    for size in range(2, min(len(words), len(letters) + 2) + 1):
        run = [w.group() for w in words[:size]]
        if run[-1].lower() in TITLE_CONNECTORS:
            return None  # "ARTEMIS: Attention-based Retrieval with ...": a description, not the spelt name
        follower = words[size].group() if size < len(words) else None
        if follower and follower.lower() not in TITLE_CONNECTORS and text[words[size - 1].end() : words[size].start()].isspace():
            continue  # "A²CiD²: Accelerating ... Decentralized | Deep Learning": the spelling stops mid-phrase
        initials = [part[0].lower() for word in run for part in word.split("-") if part]
        # "CyCADA": its capitals spell the words, its lower-case letters come from inside them
        if any(run[0][0].lower() == spelt[0] and run[-1][0].lower() == spelt[-1] and _in_order(spelt, initials)
               for spelt in spellings):
            long = doc.char_span(words[0].start(), words[size - 1].end(), alignment_mode="expand")
            return (short, long) if long is not None else None
    return None


_TITLE_WORD = re.compile(r"[A-Za-z0-9][\w'-]*")


def _in_order(letters: list[str], initials: list[str]) -> bool:
    rest = iter(initials)
    return all(any(ch == initial for initial in rest) for ch in letters)


def _parentheses(doc: Doc):
    """(open, close) token indices of non-nested parentheses that close within a few tokens."""
    for i, token in enumerate(doc):
        if token.text != "(":
            continue
        for j in range(i + 1, min(len(doc), i + MAX_INSIDE_TOKENS + 2)):
            if doc[j].text == "(":
                break
            if doc[j].text == ")":
                if j > i + 1:
                    yield i, j
                break


@Language.factory("kg_abbreviations", assigns=["doc._.kg_abbreviations", "doc._.kg_mentions"])
def make_abbreviation_detector(nlp: Language, name: str):
    return AbbreviationDetector()
