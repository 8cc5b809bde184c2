"""What a paper claims as its own, decided once its mentions are chosen: pure stages over the chosen items
(`.field`, `.mention`, `.key`, `.kb`) or over its hits. Nothing here reads other papers."""
from __future__ import annotations

import re

from kg.extract.model import CONCEPT, METHOD, PROPOSES, EntityHit
from kg.extract.names import name_shape

# Rules whose mention names the paper's own artefact ("BERT4Rec: ...", "we propose X", "called X").
OWN_RULES = ("title-prefix", "title-name", "propose-verb", "called-name")


def propose_derived_names(hits: list[EntityHit], known) -> None:
    """"We propose AdANNS ... its AdANNS-IVF clustering", "Llama 2 ... together with Llama 2-Chat": a name built
    on the paper's own coined name is the paper's too (a part, a configuration or a release of the proposal)."""
    own = [h.name for h in hits if h.relation == PROPOSES and _is_a_name(h.name)]
    for hit in hits:
        if hit.type == CONCEPT or hit.relation == PROPOSES or hit.key in known:
            continue
        if any(n != hit.name and hit.name.startswith(n) and hit.name[len(n)] in "- " for n in own):
            hit.relation = PROPOSES


def _is_a_name(text: str) -> bool:
    """"AdANNS", "Llama 2": a coined word, or capitalised words and numbers; not a description
    ("residual learning") nor an ordinary word ("Transformer" stays the paper's only, not "Transformer-XL")."""
    words = text.split()
    if len(words) == 1:
        return bool(name_shape(text))
    return all(w[:1].isupper() or w[:1].isdigit() for w in words)


# How an abstract claims a technique its title names: "we study X, in which ..." / "we study X:" (a definition
# follows), "we describe X" / "this report describes X" (the title names it, so it is not earlier work).
_CLAIMS_OF_A_TITLE_NAME = (
    r"\b(?:we|this paper|this work)\s+(?:study|explore|investigate|examine|analy[sz]e)\s+(?:the\s+)?{}"
    r"\s*(?:,\s*(?:in which|where|whereby)|:)",
    r"\b(?:we|this (?:paper|report|work|article))\s+(?:\w+\s+)?describes?\s+(?:the\s+)?{}\b",
)


def claims_title_name(name: str, abstract: str) -> bool:
    """Does the abstract claim the technique the title names, in one of the ways above?"""
    written = r"[-\s]+".join(map(re.escape, re.split(r"[-\s]+", name)))
    return any(re.search(pattern.format(written), abstract, re.I) for pattern in _CLAIMS_OF_A_TITLE_NAME)


def propose_claimed_title_names(items: list, texts: dict[str, str]) -> None:
    """"Chain-of-Thought Prompting Elicits Reasoning ..." + "We study chain-of-thought prompting, in which ...",
    "Mixtral of Experts" + "Here we describe Mixtral 8x7B": the technique the title names and the abstract
    claims in one of these ways is the paper's own, known or not."""
    title, abstract = texts.get("title", ""), texts.get("abstract", "")
    if not title or not abstract:
        return
    for r in items:
        m = r.mention
        if r.field != "title" or m.type != METHOD or m.proposes:
            continue
        if claims_title_name(m.text, abstract):
            for other in items:
                if other.key == r.key:
                    other.mention.proposes = True


_OWN_NAMING = frozenset({*OWN_RULES, "propose-defined"})  # not a description ("a denoising-diffusion framework")


def own_proposal_is_no_topic(items: list) -> None:
    """"Deep Residual Learning for ..." + "We propose residual learning, where ...": what the paper proposes is
    its method, so the title's topic reading of the same words votes Method too (guideline T2's exception)."""
    proposed = {r.key for r in items if r.mention.proposes and r.mention.type == METHOD and r.mention.rule in _OWN_NAMING}
    for r in items:
        if r.key in proposed and r.mention.type == CONCEPT and not r.kb:
            r.mention.type = METHOD
