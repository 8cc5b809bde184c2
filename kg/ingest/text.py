"""Text clean-up shared by all page formats: scraping artefacts, LaTeX, and the keys used for merging."""
from __future__ import annotations

import re
import unicodedata

# "… (voir plus)" / "... (see more)" cut into the middle of a word by "show more" widgets.
_TRUNCATION = re.compile(r"(?:…|\.\.\.)\s*\((?:voir plus|see more|show more|read more|more|lire la suite)\)", re.I)

_ACCENTS = {"'": "\u0301", "`": "\u0300", "^": "\u0302", '"': "\u0308", "~": "\u0303", "c": "\u0327", "=": "\u0304"}
_ACCENT_CMD = re.compile(r"""\\(['`^"~=]|c\s)\s*(?:\{\s*\\?([A-Za-z])\s*\}|\\?([A-Za-z]))""")
_STYLE_GROUP = re.compile(r"\{\\(?:it|bf|sc|em|tt|rm|sf|sl|small|large|Large)\s+([^{}]*)\}")
_STYLE_CMD = re.compile(
    r"\\(?:textbf|textit|texttt|textsc|textrm|textsf|emph|mathbf|mathrm|mathit|mathcal|mathbb|mathsf|text|operatorname|boldsymbol|bm)\s*\{([^{}]*)\}"
)
_FOOTNOTE = re.compile(r"\\(?:footnote|url|href)\s*\{([^{}]*)\}")
_SUPERSCRIPT = str.maketrans("0123456789+-=()n", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿ")
_SUBSCRIPT = str.maketrans("0123456789+-=()", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎")
_MATH = re.compile(r"\$([^$]{1,200})\$")
_ESCAPED = {r"\%": "%", r"\&": "&", r"\_": "_", r"\#": "#", r"\$": "$", r"\{": "{", r"\}": "}", "~": " "}
_GREEK = {
    name: chr(code) for name, code in zip(
        "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi rho sigma tau upsilon "
        "phi chi psi omega".split(), [0x3B1 + i for i in range(17)] + [0x3C3 + i for i in range(7)])
}
_GREEK.update({n.capitalize(): chr(ord(c) - 32) for n, c in _GREEK.items() if n not in ("omicron",)})
_GREEK_CMD = re.compile(r"\\(" + "|".join(sorted(_GREEK, key=len, reverse=True)) + r")(?![a-z])")
# Every white space inside a field value, line breaks included: a title or abstract is one line of text (JSONL and
# CSV sources hard-wrap abstracts, as arXiv metadata does), which also keeps graph properties single-line, so the
# neo4j-csv export needs no multi-line fields (the slow, single-threaded mode of neo4j-admin import).
_SPACES = re.compile(r"[ \t\n\r\u00a0\u2009\u202f\x0b\x0c\x1c-\x1f\x85\u1680\u2000-\u200a\u2028\u2029\u205f\u3000]+")


def strip_truncation(text: str) -> str:
    """Remove "show more" markers and re-join the word they split ("image… (voir plus)s" → "images")."""
    return _TRUNCATION.sub("", text)


def _accent(match: re.Match) -> str:
    mark = _ACCENTS[match.group(1).strip()]
    letter = match.group(2) or match.group(3)
    if letter == "i":
        letter = "i"
    return unicodedata.normalize("NFC", letter + mark)


def _script(text: str, table: dict) -> str:
    """Turn ^2 / ^{10} (or _2) into Unicode super/subscripts when every character has one."""
    converted = text.translate(table)
    return converted if all(c != o or not o.isalnum() for c, o in zip(converted, text)) else text


def _math_to_text(body: str) -> str:
    body = _STYLE_CMD.sub(r"\1", body)
    body = _STYLE_GROUP.sub(r"\1", body)
    body = re.sub(r"\^\{([^{}]*)\}|\^(\w)", lambda m: _script(m.group(1) or m.group(2), _SUPERSCRIPT), body)
    body = re.sub(r"_\{([^{}]*)\}|_(\d)", lambda m: _script(m.group(1) or m.group(2), _SUBSCRIPT), body)
    return body


def latex_to_text(text: str) -> str:
    """Make common LaTeX markup in scraped titles and abstracts readable; leave anything unknown as it is."""
    if "\\" not in text and "$" not in text and "``" not in text:
        return text
    text = _ACCENT_CMD.sub(_accent, text)
    text = _GREEK_CMD.sub(lambda m: _GREEK[m.group(1)], text)
    text = _FOOTNOTE.sub(lambda m: f" ({m.group(1)})", text)
    text = _MATH.sub(lambda m: _math_to_text(m.group(1)), text)
    for _ in range(3):  # nested markup such as \textbf{\emph{x}}
        text = _STYLE_CMD.sub(r"\1", text)
        text = _STYLE_GROUP.sub(r"\1", text)
    text = text.replace("``", "“").replace("''", "”")
    for escaped, plain in _ESCAPED.items():
        if escaped != "~" or "\\" in text:
            text = text.replace(escaped, plain)
    return text


def clean_text(text: str) -> str:
    """Everything a title or abstract goes through: NFC, markers, LaTeX, white space."""
    text = unicodedata.normalize("NFC", text)
    text = strip_truncation(text)
    text = latex_to_text(text)
    return _SPACES.sub(" ", text).strip()


def strip_accents(text: str) -> str:
    """NFKD without combining marks ("Fréchet" → "Frechet"); the one accent folding every key builds on."""
    if text.isascii():  # NFKD leaves ASCII unchanged; skipping it is much faster
        return text
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c))


def fold(text: str) -> str:
    """Accent-free, case-folded, single-spaced text: the basis of every merge key."""
    return " ".join(strip_accents(text).casefold().split())


def title_key(title: str) -> str:
    """Two listings are the same paper when their titles agree up to case, accents, punctuation and spacing."""
    return " ".join(re.sub(r"[^\w]+", " ", fold(title)).split())


def author_key(name: str) -> str:
    """Author identity: folded name without dots ("K. Ramamurthy" and "K Ramamurthy" agree)."""
    return " ".join(re.sub(r"[.\u2010-\u2015-]+", " ", fold(name)).split())
