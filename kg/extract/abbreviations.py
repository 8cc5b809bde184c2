"""Component `kg_abbreviations`: Schwartz–Hearst acronym definitions, both "Long Form (LF)" and "LF (Long Form)".

Each definition becomes an `Abbreviation` on the doc plus two `abbrev` mentions (long and short form);
the corpus step later links bare uses of the short form, even in other papers, to the long form.
"""
from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc

from kg.extract.mentions import Abbreviation, abbreviations_of, make_mention, mentions_of

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
    )


class AbbreviationDetector:
    def __call__(self, doc: Doc) -> Doc:
        for open_i, close_i in _parentheses(doc):
            inside = doc[open_i + 1 : close_i]
            found = self._long_then_short(doc, open_i, inside) or self._short_then_long(doc, open_i, inside)
            if found:
                self._record(doc, *found)
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

    def _record(self, doc: Doc, short, long) -> None:
        while len(long) > 1 and long[0].lower_ in LEADING_JUNK:
            long = long[1:]
        if not _fits(short.text, long.text):
            return
        abbreviations_of(doc).append(
            Abbreviation(short.text, long.text, short.start_char, long.start_char, long.end_char)
        )
        found = mentions_of(doc)
        found.append(make_mention(long, "abbrev"))
        found.append(make_mention(short, "abbrev", long_form=long.text))


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


@Language.factory("kg_abbreviations")
def make_abbreviation_detector(nlp: Language, name: str):
    return AbbreviationDetector()
