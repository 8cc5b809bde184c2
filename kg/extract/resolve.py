"""Corpus step: turns every paper's mention candidates into canonical `EntityHit`s.

Needs the whole corpus at once: an acronym defined in one abstract explains its bare use in another, and an
entity gets one type and one name everywhere. Which entities a paper has is decided from the paper alone (its
own acronyms, title, repetitions and the span model's spans), never from which other papers are loaded.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from kg.extract.kb import KnowledgeBase
from kg.extract.kb_matcher import UNGRAPHED_KINDS
from kg.extract.lexicon import (
    BROAD_TOPICS,
    CONCEPT_HEADS,
    DATASET_CUES,
    GENERIC_NAME_WORDS,
    IDEA_HEADS,
    METHOD_CUES,
    METRIC_HEADS,
    MODIFIER_OPENERS,
    PHRASE_STOP,
    TITLE_NAME_HEADS,
    UMBRELLA_MODEL_CLASSES,
)
from kg.extract.lists import LIST_GAP, listed_runs
from kg.extract.mentions import CONFIDENCE, Abbreviation, Mention, short_key
from kg.extract.names.objectives import OBJECTIVE_LIST
from kg.extract.own_work import (OWN_RULES, claims_title_name, own_proposal_is_no_topic, propose_claimed_title_names,
                                 propose_derived_names)
from kg.extract.model import ABOUT, CONCEPT, DATASET, EVALUATED_ON, METHOD, METRIC, PROPOSES, USES, EntityHit, Evidence
from kg.extract.normalize import fold, normalise, singular
from kg.extract.phrases import TOPIC_WORD
from kg.extract.tasks import TASK_PHRASE, names_a_task, narrows
from kg.extract.variants import WHOLE_NAME_RULE, WHOLE_NAME_RULES, covers, dataset_editions, extend_versions, is_known_name, spread_variants, take_parent, versioned_base, whole_name_over
from kg.extract.span_evidence import (apply_spans, inside_task, new_names, reads_otherwise, repeated_names,
                                      salient_task_keys, split_spans, task_of)

RELATION_OF_TYPE = {METHOD: USES, DATASET: EVALUATED_ON, CONCEPT: ABOUT, METRIC: USES}
PHRASE_RULES = ("phrase-stats", "noun-phrase")
MAX_NARROWING = 3  # words in front of a known task
TITLE_TOPIC = "title-topic"
BROAD_TOPIC_KEYS = frozenset(normalise(t) for t in BROAD_TOPICS)
UMBRELLA_MODEL_KEYS = frozenset(normalise(t) for t in UMBRELLA_MODEL_CLASSES)


@dataclass
class FieldCandidates:
    """What the pipeline left on one field's doc, detached from the Doc to keep memory small."""

    field: str
    text: str
    mentions: list[Mention]
    abbreviations: list[Abbreviation]


@dataclass
class PaperCandidates:
    paper_id: str
    fields: list[FieldCandidates] = field(default_factory=list)


@dataclass
class _Resolved:
    """A chosen mention with its canonical identity."""

    field: str
    mention: Mention
    key: str
    kb: bool
    expansion: str | None = None
    folded: bool = False  # a general concept merged into the paper's more specific title topic


class _Watched:
    """A corpus table that logs which entries a paper's resolution read: those entries are the paper's
    dependencies, so a later load re-resolves the paper only when one of them changed."""

    def __init__(self, name: str, table, log: list):
        self.name, self.table, self.log = name, table, log

    def get(self, key, default=None):
        self.log.append((self.name, key))
        return self.table.get(key, default)

    def __contains__(self, key) -> bool:
        self.log.append((self.name, key))
        return key in self.table


@dataclass
class CorpusTables:
    """What the corpus teaches about single papers: acronym expansions, one spelling per expansion,
    and names written as bare acronyms somewhere. `phrase_ok` is no longer filled (a phrase is judged by
    its own paper) and stays for stores written before."""

    expansions: dict[str, str]
    same_expansion: dict[str, str]
    phrase_ok: set[str]
    bare_names: set[str]

    def value(self, table: str, key: str):
        data = getattr(self, table)
        return data.get(key) if isinstance(data, dict) else key in data


@dataclass
class Identity:
    """Corpus-wide identity of every key: how many papers have it, its type and its display name."""

    papers_per_key: Counter
    types: dict[str, str]
    names: dict[str, str]


def contribution(paper: PaperCandidates) -> dict:
    """What one paper adds to the corpus tables (small and JSON-able, so a store can keep it)."""
    phrases, title_phrases, acronyms = set(), set(), set()
    for fc in paper.fields:
        for m in fc.mentions:
            if m.rule == "acronym":
                acronyms.add(m.text)
            if m.rule not in PHRASE_RULES:
                continue
            for start in m.starts:
                key = normalise(fc.text[start : m.end])
                phrases.add(key)
                if fc.field == "title":
                    title_phrases.add(key)
    return {"ab": [[ab.short, ab.long] for fc in paper.fields for ab in fc.abbreviations],
            "ph": sorted(phrases), "pt": sorted(title_phrases), "ac": sorted(acronyms),
            "t": any(fc.field == "title" and fc.text.strip() for fc in paper.fields)}


class CorpusResolver:
    """The corpus step in stages, each a function of its inputs: tables (from every paper's
    contribution), then per paper the chosen mentions, then identity (from every paper's votes), then
    per paper the hits. `iter_hits` runs them all; a store runs them incrementally."""

    def __init__(self, kb: KnowledgeBase):
        self.kb = kb

    def resolve(self, papers: list[PaperCandidates]) -> dict[str, list[EntityHit]]:
        return dict(self.iter_hits(papers))

    def iter_hits(self, papers: list[PaperCandidates]):
        """(paper id, hits) in the order of `papers`; the hits of one paper are built only when asked for."""
        contributions = [contribution(p) for p in papers]
        self.use_tables(self.tables(contributions))
        chosen = {p.paper_id: self.choose(p)[0] for p in papers}
        titled = {p.paper_id: c["t"] for p, c in zip(papers, contributions)}
        self.use_identity(self.identity(self.votes(items) for items in chosen.values()))
        for pid in list(chosen):
            yield pid, self.hits(chosen.pop(pid), titled[pid])

    # -- stage 1: corpus tables ----------------------------------------------------------------
    def tables(self, contributions) -> CorpusTables:
        """From every paper's contribution, in paper order."""
        contributions = list(contributions)
        expansions = self._corpus_expansions(contributions)
        bare: set[str] = set()
        for c in contributions:
            bare.update(c["ac"])
        return CorpusTables(expansions, self._expansion_spellings(contributions, expansions), set(), bare)

    def use_tables(self, tables: CorpusTables, log: list | None = None) -> None:
        self.corpus = tables
        watch = (lambda name, table: _Watched(name, table, log)) if log is not None else (lambda name, table: table)
        self.expansions = watch("expansions", tables.expansions)
        self.same_expansion = watch("same_expansion", tables.same_expansion)
        self.phrase_ok = watch("phrase_ok", tables.phrase_ok)
        self.bare_names = watch("bare_names", tables.bare_names)

    @staticmethod
    def dependencies_hash(deps, tables: CorpusTables) -> str:
        """Hash of the values a paper's resolution read; unchanged hash, unchanged resolution."""
        import hashlib
        import json

        values = [[t, k, tables.value(t, k)] for t, k in deps]
        return hashlib.sha1(json.dumps(values, ensure_ascii=False).encode("utf-8")).hexdigest()[:20]

    def choose(self, paper: PaperCandidates) -> tuple[list["_Resolved"], list[tuple[str, str]]]:
        """The paper's chosen mentions with their identity, and the table entries that decided them."""
        log: list = []
        self.use_tables(self.corpus, log)
        try:
            chosen = self._choose(paper)
        finally:
            self.use_tables(self.corpus)
        return chosen, sorted(set(log))

    # -- stage 3: identity -----------------------------------------------------------------------
    def votes(self, items: list["_Resolved"]) -> dict:
        """What one paper's chosen mentions say about identity (small and JSON-able)."""
        type_votes, name_votes = [], []
        for r in items:
            if r.kb:
                type_votes.append([r.key, self.kb.by_key[r.key].type, 100.0])
            elif r.mention.type:
                weight = 3.0 if r.mention.rule in OWN_RULES or r.mention.rule == TITLE_TOPIC else 1.0
                type_votes.append([r.key, r.mention.type, weight * r.mention.confidence])
            if r.expansion:
                name_votes.append([r.key, "e", r.expansion])
            elif r.mention.rule == "abbrev" and not r.kb:
                name_votes.append([r.key, "e", r.mention.text])
            elif not r.folded and r.mention.rule != WHOLE_NAME_RULE:  # a respelling, not how the name is written
                name_votes.append([r.key, "s", r.mention.text])
        return {"k": list(dict.fromkeys(r.key for r in items)), "tv": type_votes, "nv": name_votes}

    def identity(self, votes) -> Identity:
        """From every paper's votes, in paper order."""
        per_key: Counter = Counter()
        type_votes: dict[str, Counter] = defaultdict(Counter)
        expansions: dict[str, Counter] = defaultdict(Counter)
        surfaces: dict[str, Counter] = defaultdict(Counter)
        for v in votes:
            per_key.update(v["k"])
            for key, kind, amount in v["tv"]:
                type_votes[key][kind] += amount
            for key, kind, text in v["nv"]:
                (expansions if kind == "e" else surfaces)[key][text] += 1
        types = {key: self._type_for(key, type_votes.get(key)) for key in per_key}
        names = {}
        for key in per_key:
            entry = self.kb.by_key.get(key)
            if entry:
                names[key] = entry.name
            elif expansions.get(key):
                names[key] = _most_common(expansions[key])
            elif surfaces.get(key):
                names[key] = _most_common(surfaces[key])
        return Identity(per_key, types, names)

    def use_identity(self, identity: Identity) -> None:
        self.papers_per_key, self.types, self.names = identity.papers_per_key, identity.types, identity.names

    def hits_signature(self, keys, titled: bool) -> list:
        """Everything `hits` reads of the identity for these keys (a paper's hits change only with it)."""
        return [titled, [[k, self.types[k], self.names.get(k), min(self.papers_per_key[k], 2)] for k in keys]]

    def hits(self, items: list["_Resolved"], titled: bool) -> list[EntityHit]:
        return self._hits(items, titled)

    # -- corpus tables -----------------------------------------------------------------------
    @staticmethod
    def _corpus_expansions(contributions) -> dict[str, str]:
        """Acronym → the long form most papers give it."""
        votes: dict[str, Counter] = defaultdict(Counter)
        for c in contributions:
            for short, long in c["ab"]:
                votes[short_key(short)][long] += 1
        out = {}
        for short, counts in votes.items():
            by_key = Counter()
            for long, n in counts.items():
                by_key[normalise(long)] += n
            best_key = by_key.most_common(1)[0][0]
            out[short] = max((l for l in counts if normalise(l) == best_key), key=counts.__getitem__)
        return out

    @staticmethod
    def _expansion_spellings(contributions, expansions) -> dict[str, str]:
        """Long-form key → the key of the expansion its acronym resolves to, when two papers spell one
        acronym's expansion differently ("2D Matryoshka Sentence Embeddings" / "Two-dimensional Matryoshka
        Sentence Embedding" for 2DMSE). Only spellings sharing the head noun and another word are merged: "MAE"
        as masked autoencoder and as mean absolute error, "FL" as federated and as feasible learning stay apart."""
        out: dict[str, str] = {}
        for c in contributions:
            for short, long in c["ab"]:
                best = expansions.get(short_key(short))
                if not best:
                    continue
                key, best_key = normalise(long), normalise(best)
                if key != best_key and key.split()[-1:] == best_key.split()[-1:] \
                        and set(key.split()[:-1]) & set(best_key.split()[:-1]):
                    out[key] = best_key
        return out

    # -- per paper ---------------------------------------------------------------------------
    def _choose(self, paper: PaperCandidates) -> list[_Resolved]:
        local = {}
        for fc in paper.fields:
            for ab in fc.abbreviations:
                local.setdefault(short_key(ab.short), ab.long)
        self._abstract_text = " ".join(fc.text for fc in paper.fields if fc.field != "title")
        self._abstract_plain = plain(self._abstract_text)
        self._cue_sentences = [plain(sent) for fc in paper.fields if fc.field != "title"
                               for sent in _SENTENCE_END.split(fc.text) if _PROPOSE_CUE.search(sent)]
        title = next((fc.text for fc in paper.fields if fc.field == "title"), "")
        self._defined = {plain(long) for long in local.values()}
        self._coined = {plain(long) for long in local.values() if self._names_the_paper(long, title)}
        self._repeated = _phrases_repeated_in(paper)
        self._title_phrases = _title_phrase_keys(paper)
        fields = [(fc, *split_spans(fc.mentions)) for fc in paper.fields]
        tasks, names = salient_task_keys(fields), repeated_names(fields)
        out = []
        for fc, rules, spans in fields:
            self._spans = spans
            if fc.field == "title":
                rules = self._whole_title_name(fc) + rules
            for m in rules:
                if m.rule == "title-name" and not m.proposes and self._abstract_proposes(m.text):
                    m.proposes = True  # "... with Shallow Decoders" + "we propose ... shallow decoders"
            rules = apply_spans(rules, spans)
            rules += new_names(rules, spans, names)
            rules += [t for t in map(task_of, spans) if t is not None and normalise(t.text) in tasks]
            kept = self._non_overlapping([m for m in (self._prepare(fc, m, local) for m in rules) if m])
            _share_types_in_lists(fc.text, kept)
            out.extend(r for r in (self._identify(fc.field, m, local) for m in kept) if r)
        texts = {fc.field: fc.text for fc in paper.fields}
        extend_versions(out, texts, normalise)
        dataset_editions(out, texts, self._reads_as, normalise)
        spread_variants(out, texts)
        propose_claimed_title_names(out, texts)
        own_proposal_is_no_topic(out)
        out = _drop_lone_acronyms(_salient_topic_words(out))
        self._merge_spellings_of_one_acronym(paper, out)
        _fold_into_title_topics(out)
        return out

    def _merge_spellings_of_one_acronym(self, paper: PaperCandidates, items: list[_Resolved]) -> None:
        """One paper spelling out one acronym twice ("MINE: Mutual Information Neural Estimation" in the
        title, "Mutual Information Neural Estimator (MINE)" in the abstract) means one thing: every key
        its long forms resolve to becomes one key, the KB's if any, else the corpus's usual expansion."""
        spellings: dict[str, set[str]] = defaultdict(set)
        for fc in paper.fields:
            for ab in fc.abbreviations:
                spellings[short_key(ab.short)].add(self._long_key(ab.long))
        keys_of = {r.key for r in items}
        for short, keys in spellings.items():
            keys &= keys_of
            if len(keys) < 2:
                continue
            usual = self.expansions.get(short)
            kb_keys = sorted(r.key for r in items if r.kb and r.key in keys)
            target = kb_keys[0] if kb_keys else self._long_key(usual) if usual and self._long_key(usual) in keys else min(keys)
            for r in items:
                if r.key in keys and r.key != target:
                    r.key, r.kb = target, bool(kb_keys)

    def _reads_as(self, text: str, key: str) -> bool:
        entry = self.kb.lookup(text)
        return entry is not None and entry.key == key

    def _long_key(self, long: str) -> str:
        entry = self.kb.lookup(long)
        if entry:
            return entry.key
        key = normalise(long)
        return self.same_expansion.get(key, key)

    def _prepare(self, fc: FieldCandidates, m: Mention, local: dict[str, str]) -> Mention | None:
        """Concept phrases shrink to their longest recurring variant; bare acronyms get their expansion."""
        if m.rule == TITLE_TOPIC:
            for start in m.starts:
                words = plain(fc.text[start : m.end])
                if words in self._coined or words in self._defined and singular(words.rsplit(" ", 1)[-1]) not in CONCEPT_HEADS:
                    return None  # "Adaptive Neural Images (ANI)": a name with its own acronym, typed by the name rules
                if f" {words} " in f" {self._abstract_plain} ":
                    return Mention(start, m.end, fc.text[start : m.end], m.rule, m.sentence, type=CONCEPT)
            return None
        if self._coined and plain(m.long_form or m.text) in self._coined:
            if m.type == CONCEPT:
                return None
            m.type, m.proposes = METHOD, True
        if m.rule in PHRASE_RULES:
            for start in m.starts:
                key = normalise(fc.text[start : m.end])
                if key in self._title_phrases or key in self._repeated or inside_task(start, m.end, self._spans):
                    return Mention(start, m.end, fc.text[start : m.end], m.rule, m.sentence, type=CONCEPT)
            start = next((s for s in m.starts if names_a_task(fc.text[s : m.end], fc.text[:s], fc.text[m.end :])
                          and not reads_otherwise(s, m.end, self._spans)
                          or self._narrows_a_kb_task(fc.text, s, m)), None)
            if start is not None:
                return Mention(start, m.end, fc.text[start : m.end], TASK_PHRASE, m.sentence, type=CONCEPT)
            return None
        if m.kb_key and m.text in local_shorts(local, m.text):
            long = local[short_key(m.text)]
            entry = self.kb.lookup(long) or self._same_acronym(m.text, long)
            if entry is None or entry.key != m.kb_key:  # "mean absolute error (MAE)": not the KB's MAE here
                return Mention(m.start, m.end, m.text, "abbrev", m.sentence, long_form=long)
        if m.long_form is None and not m.kb_key and m.rule not in ("acronym", "coined-name", "shorthand") \
                and short_key(m.text) in local:
            m.long_form = local[short_key(m.text)]  # "D'OH: ..." title prefix, "a novel CL method": the defined name
            if m.rule == "dataset-cue":
                m.type = None  # "standard CL benchmarks": the cue describes the benchmarks, not continual learning
        if m.rule in ("acronym", "coined-name") and m.long_form is None:
            long = local.get(short_key(m.text)) or self.expansions.get(short_key(m.text))
            if long:
                return Mention(m.start, m.end, m.text, "abbrev", m.sentence, type=m.type, long_form=long,
                               confidence=CONFIDENCE["abbrev"] if short_key(m.text) in local else 0.7)
            if m.rule == "acronym" and sum(c.isalpha() for c in m.text) < 3 and not self.kb.lookup(m.text):
                return None
        return m

    def _narrows_a_kb_task(self, text: str, start: int, m: Mention) -> bool:
        """"cross-lingual natural language inference": the phrase is a task the KB knows with words of its own
        in front, so it is a task on its own, written once (the clash step then prefers it to the known one)."""
        phrase = text[start : m.end]
        words = phrase.split()
        for cut in range(1, min(len(words), MAX_NARROWING + 1)):
            tail = " ".join(words[cut:])
            entry = self.kb.lookup(tail)
            if entry is not None and entry.type == CONCEPT:
                return narrows(phrase, tail, text[:start])
        return False

    def _whole_title_name(self, fc: FieldCandidates) -> list[Mention]:
        """A short title-cased title that is one name ("Discrete Key-Value Bottleneck", "The Consciousness
        Prior") is the paper's own method when the abstract proposes it by name, names it and proposes, or claims
        it ("We study Self-Rewarding Language Models, where ...")."""
        text = fc.text.strip()
        start = fc.text.index(text) if text else 0
        if text.startswith("The "):
            text, start = text[4:], start + 4
        words = text.split()
        if not 2 <= len(words) <= 5 or not all(w[:1].isupper() or w[:1].isdigit() for w in words):
            return []
        if not all(c.isalnum() or c in " -'" for c in text):
            return []
        named_while_proposing = self._cue_sentences and f" {plain(text)} " in f" {self._abstract_plain} "
        if not (self._abstract_proposes(text) or named_while_proposing or claims_title_name(text, self._abstract_text)):
            return []  # the abstract neither proposes it by name, nor names it while proposing, nor studies it
        return [Mention(start, start + len(text), text, "title-name", fc.text, type=METHOD, proposes=True)]

    def _abstract_proposes(self, name: str) -> bool:
        """A title name the abstract proposes in so many words ("we propose ... <name>")."""
        target = f" {plain(name)} "
        return any(target in f" {sentence} " for sentence in self._cue_sentences)

    def _names_the_paper(self, long: str, title: str) -> bool:
        """"Matryoshka Representation Learning (MRL)" opening the title names the paper's method even though
        it ends in a task word: its own acronym, not a KB entry, and a modifier that is more than a
        generic or known-task word ("Neural Machine Translation (NMT)" stays a task)."""
        words = plain(long).split()
        if len(words) < 2 or singular(words[-1]) not in CONCEPT_HEADS or not plain(title).startswith(plain(long)):
            return False
        if self.kb.lookup(long):
            return False
        for cut in range(1, len(words)):
            if self.kb.lookup(" ".join(words[cut:])):
                words = words[:cut]
                break
        else:
            words = words[:-1]
        return any(w not in GENERIC_NAME_WORDS and w not in PHRASE_STOP and w not in CONCEPT_HEADS for w in words)

    @staticmethod
    def _non_overlapping(mentions: list[Mention]) -> list[Mention]:
        """Strongest (then longest) mention wins a stretch of text; it inherits flags from those it beats."""
        ordered = sorted(mentions, key=lambda m: (-m.priority, -(m.end - m.start), m.start))
        kept: list[Mention] = []
        for m in ordered:
            clashes = [k for k in kept if m.start < k.end and k.start < m.end]
            if not clashes:
                kept.append(m)
                continue
            clash = clashes[0]
            parent = whole_name_over(m, clashes)
            if parent is not None:  # "Gumbel Tree-LSTM" found after the KB's Tree-LSTM inside it
                kept.remove(parent)
                take_parent(m, parent)
                kept.append(m)
                continue
            if _combines_known_names(m, clashes):  # "DeepLab-MSc-CRF-LargeFOV": its own name, built on both
                m.type = m.type or clashes[0].type
                kept.append(m)
                continue
            if _lists_an_objective(m, clashes):  # "objectives, image-text contrastive learning, ...": a method
                for k in clashes:
                    kept.remove(k)
                kept.append(m)
                continue
            if _narrows_a_known_task(m, clashes):  # "6D pose estimation" over the KB's pose estimation
                kept.remove(clash)
                kept.append(m)
                continue
            if is_known_name(m) and covers(clash, m) and clash.variant_of is None and whole_name_over(clash, [m]):
                take_parent(clash, m)  # the whole name came first: the known name inside it is its parent
                continue
            if is_known_name(m) and clash.variant_of and covers(clash, m):
                clash.variant_of = None  # a second known name inside: a combination ("CRF-RNN"), not a variant
                continue
            inside = m.start <= clash.start and clash.end <= m.end
            if m.proposes and inside and _names_something(clash) and (clash.start, clash.end) != (m.start, m.end):
                # "we propose As-ViT", "Joint Shapley values: ...", "we introduce convolutional DRAW": the paper's
                # own name holds a known or defined name; both are kept, and only the own name is proposed (the
                # inner name is what it builds on).
                overlapping = [k for k in kept if m.start < k.end and k.start < m.end]
                if all(m.start <= k.start and k.end <= m.end and _names_something(k) for k in overlapping):
                    kept.append(m)
                continue
            if m.proposes and inside and clash.type != CONCEPT:
                clash.proposes = True
                if m.rule == "title-prefix" or clash.rule in ("coined-name", "acronym"):
                    clash.rule, clash.confidence = m.rule, max(clash.confidence, m.confidence)
                if m.rule == "title-prefix" and m.type and not clash.kb_key:
                    clash.type = m.type  # the title's own reading ("DIVA: Dataset Derivative of ...") beats a guess
            if clash.type is None and m.type is not None and m.type != CONCEPT and not (m.kb_key and clash.rule == "abbrev"):
                clash.type = m.type
        return sorted(kept, key=lambda m: m.start)

    def _identify(self, field_name: str, m: Mention, local: dict[str, str]) -> _Resolved | None:
        if m.rule == "kb-blocked":
            if not m.proposes:
                return None  # a library the paper uses ("PyTorch"): software, not a method
            m.type = METHOD  # "We then build vLLM, a serving engine": the paper's own system
        if m.rule == "abbrev" and m.long_form is None and _not_a_thing(m.text) and not self.kb.lookup(m.text):
            return None  # ("Beyond the Imitation Game benchmark" opens like a modifier and is a known name)
        if m.rule == "shorthand":
            family = self._series_family(m.long_form or m.text)
            if family:
                return family(field_name, m)
        if m.kb_key:
            return _Resolved(field_name, m, m.kb_key, True)
        if m.long_form:
            entry = self.kb.lookup(m.long_form) or self._same_acronym(m.text, m.long_form) or self.kb.near(m.long_form)
            if entry and entry.kind in UNGRAPHED_KINDS:
                return None
            if entry:
                m.type = entry.type
                return _Resolved(field_name, m, entry.key, True)
            if _not_a_thing(m.long_form):
                return None
            key = normalise(m.long_form)
            return _Resolved(field_name, m, self.same_expansion.get(key, key), False, expansion=m.long_form)
        entry = self.kb.lookup(m.text) or self.kb.near(m.text) or self._entry_of_long_form(m, local)
        if entry and entry.kind in UNGRAPHED_KINDS:
            return None
        if entry:
            m.type = entry.type
            return _Resolved(field_name, m, entry.key, True)
        key = normalise(m.text)
        key = self.same_expansion.get(key, key)
        base = self.kb.lookup(versioned_base(m.text) or "")
        if base is not None and base.type in (METHOD, DATASET):  # "GATv2": a version of its own, built on GAT
            m.variant_of, m.type = base.key, m.type or base.type
        return _Resolved(field_name, m, key, False) if key else None

    def _entry_of_long_form(self, m: Mention, local: dict[str, str]):
        """The KB entry a long form the paper defines names, judged with its acronym (see _same_acronym)."""
        if m.rule != "abbrev":
            return None
        shorts = [short for short, long in local.items() if long == m.text]
        return next((e for e in (self._same_acronym(s, m.text) for s in shorts) if e is not None), None)

    def _same_acronym(self, short: str, long: str):
        """The KB entry of an acronym, only when the paper's own long form could name it: its modifiers are
        words of one of the entry's forms ("Generative Adversarial Nets" for GAN), so the paper's definition wins
        ("shallow neural networks (SNNs)" is not the KB's Spiking Neural Network)."""
        entry = self.kb.lookup(short)
        if entry is None:
            return None
        words = plain(long.replace("-", " ")).split()
        forms = [plain(f.replace("-", " ")).split() for f in [entry.name, *entry.aliases] if len(f.split()) > 1]
        if not words:
            return entry
        if not forms:  # the KB knows only the short form: only the kind of thing can differ
            return None if _names_another_kind(words[-1], entry.type) else entry
        if any(set(words[:-1]) <= set(f) for f in forms):
            return entry
        # "long short-term memory recurrent neural network (LSTM)": a known form and a generic kind after it
        tails = (words[len(f):] for f in forms if words[: len(f)] == f)
        return entry if any(all(w in GENERIC_NAME_WORDS for w in tail) for tail in tails) else None

    def _series_family(self, full: str):
        """"UVG8/17" lists two subsets of the UVG videos: when the letters before a glued number are
        themselves a name the corpus uses on its own, and the numbered form is no KB entry, the members
        are that one dataset ("UVG8", "UVG17" become aliases of UVG)."""
        glued = _GLUED_NUMBER.match(full)
        if not glued or self.kb.lookup(full) or glued.group(1) not in self.bare_names:
            return None
        entry = self.kb.lookup(glued.group(1))
        key = entry.key if entry else normalise(glued.group(1))
        return lambda field_name, m: _Resolved(field_name, m, key, bool(entry))

    @staticmethod
    def _type_for(key: str, counts: Counter | None) -> str:
        if counts:
            return counts.most_common(1)[0][0]
        last = singular(key.split()[-1]) if key else ""
        if last in CONCEPT_HEADS or key.rsplit(" ", 1)[-1] in CONCEPT_HEADS or last in IDEA_HEADS:
            return CONCEPT
        if last in DATASET_CUES:
            return DATASET
        return METHOD

    # -- hits --------------------------------------------------------------------------------
    def _hits(self, items: list[_Resolved], titled: bool = True) -> list[EntityHit]:
        grouped: dict[str, list[_Resolved]] = defaultdict(list)
        for r in items:
            grouped[r.key].append(r)
        hits = []
        for key, group in grouped.items():
            kind = self.types[key]
            hit = EntityHit(kind, key, self.names.get(key, group[0].mention.text), self._relation(key, kind, group))
            for r in group:
                m = r.mention
                if m.text not in hit.aliases and any(c.isalpha() for c in m.text):
                    hit.aliases.append(m.text)  # "100" of "CIFAR-10/100" is evidence, not a name
                rule = f"kb:{kind}:{self.kb.by_key[key].name}" if r.kb and m.rule.startswith("kb") else m.rule
                hit.evidence.append(Evidence(r.field, m.start, m.end, m.text, m.sentence, rule, round(m.confidence, 3)))
            hit.variant_of = self._parent_of(key, group)
            if self._worth_keeping(hit, group, titled):
                hits.append(hit)
        propose_derived_names(hits, self.kb.by_key)
        hits.sort(key=lambda h: (-h.confidence, h.type, h.key))
        return hits

    def _parent_of(self, key: str, group: list[_Resolved]) -> tuple[str, str, str] | None:
        """The known name most of the entity's mentions are a variant of (the entity is not itself known)."""
        votes = Counter(r.mention.variant_of for r in group if r.mention.variant_of and not r.kb)
        votes.pop(key, None)
        if not votes:
            return None
        parent = min(votes, key=lambda k: (-votes[k], k))
        entry = self.kb.by_key[parent]
        return entry.type, parent, entry.name

    def _relation(self, key: str, kind: str, group: list[_Resolved]) -> str:
        if kind != CONCEPT:
            if any(r.mention.proposes for r in group):
                return PROPOSES
            if any(_is_whole_title(r) for r in group):
                return PROPOSES  # a title that is only a known name ("Pointer Networks") is the paper introducing it
        return RELATION_OF_TYPE[kind]

    def _worth_keeping(self, hit: EntityHit, group: list[_Resolved], titled: bool = True) -> bool:
        """An umbrella field ("computer vision") is kept only when the title names it (a paper without a
        title keeps it), whatever type the corpus gives it, so the answer is the paper's own; an umbrella class
        of models ("large language models") never is. Lone acronyms were judged per paper in `_drop_lone_acronyms`."""
        if hit.key in UMBRELLA_MODEL_KEYS:
            return False
        if titled and hit.key in BROAD_TOPIC_KEYS and all(r.field != "title" for r in group):
            return False
        entry = self.kb.by_key.get(hit.key)
        if entry is not None and entry.kind == "property" and len(group) < 2 and all(r.field != "title" for r in group):
            return False  # "the inductive bias of LLMs" once in passing: a phenomenon is a topic where the paper dwells on it
        return True


def _names_another_kind(head: str, kind: str) -> bool:
    """"grouped-query attention (GQA)" names a method, not the GQA dataset the KB knows by its short form."""
    head = singular(head)
    if kind == DATASET:
        return head in METHOD_CUES or head in TITLE_NAME_HEADS
    return kind == METHOD and head in DATASET_CUES


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_PROPOSE_CUE = re.compile(r"\b(we|this paper|this work|here)\b[^.;]{0,40}?\b(propose|introduce|present|develop)"
                          r"|\b(is|are) (proposed|introduced)\b", re.I)
_GLUED_NUMBER = re.compile(r"^([A-Z]{2,})(\d+)$")


def _names_something(m: Mention) -> bool:
    """A known name, or a short form with its long form (the paper's or the corpus's)."""
    return bool(m.kb_key or m.long_form)


def _combines_known_names(m: Mention, clashes: list[Mention]) -> bool:
    """A coined whole name, or known acronyms joined by hyphens, holding two or more known methods or datasets
    and nothing else that clashes."""
    whole = m.rule in WHOLE_NAME_RULES or m.rule == "acronym" and "-" in m.text  # "LSTM-GMM", "BiLSTM-CRF"
    return whole and not m.kb_key and len(clashes) >= 2 and all(is_known_name(k) and covers(m, k) for k in clashes)


def _lists_an_objective(m: Mention, clashes: list[Mention]) -> bool:
    """An objective listed after "objectives" holding known concepts ("contrastive learning" in "image-text
    contrastive learning"): the objective, a method, wins over the task reading of its words."""
    return m.rule == OBJECTIVE_LIST and all(covers(m, k) and k.type == CONCEPT for k in clashes)


def _narrows_a_known_task(m: Mention, clashes: list[Mention]) -> bool:
    """A task phrase written once around one known task, narrowing it with content words ("6D pose estimation",
    "weakly supervised object detection"): the paper's task is the narrower one."""
    if m.type != CONCEPT or m.rule not in (*PHRASE_RULES, TASK_PHRASE) or len(clashes) != 1:
        return False
    known = clashes[0]
    return bool(known.kb_key) and known.type == CONCEPT and covers(m, known) and narrows(m.text, known.text)


def _share_types_in_lists(text: str, mentions: list[Mention]) -> None:
    """"both STL-10 and ImageNet": an untyped name takes the type of the typed name it is listed with; in
    "Natural Questions, TriviaQA, WebQuestions, CuratedTREC and SQuAD" (or "ARC and HellaSwag") the known names
    agree on a type, and an unknown coined name among them takes it whatever a guess said."""
    for _ in range(2):
        for left, right in zip(mentions, mentions[1:]):
            if (left.type is None) == (right.type is None) or CONCEPT in (left.type, right.type):
                continue
            if LIST_GAP.match(text[left.end : right.start]):
                left.type = left.type or right.type
                right.type = right.type or left.type
    for run in listed_runs(text, mentions, lambda m: (m.start, m.end)):
        known = {m.type for m in run if m.kb_key}
        if len(known) == 1 and CONCEPT not in known and (len(run) == 2 or sum(1 for m in run if m.kb_key) >= 2):
            for m in run:
                if not m.kb_key and m.rule in _GUESSED_TYPE_RULES:
                    m.type = next(iter(known))


_GUESSED_TYPE_RULES = frozenset({"coined-name", "acronym", "span-name"})




def _title_phrase_keys(paper: PaperCandidates) -> set[str]:
    """Phrase keys the paper's title writes: the title is the strongest per-paper sign of a topic."""
    keys = set()
    for fc in paper.fields:
        if fc.field == "title":
            for m in fc.mentions:
                if m.rule in PHRASE_RULES:
                    keys.update(normalise(fc.text[start : m.end]) for start in m.starts)
    return keys


def _drop_lone_acronyms(items: list[_Resolved]) -> list[_Resolved]:
    """An undefined acronym written once that the span model did not read as a name is noise ("RGB",
    "SOTA" are caught elsewhere, "WFST" once is not worth a node); twice, or typed by the model, it stays."""
    counts = Counter(r.key for r in items)
    keys_of_others = {r.key for r in items if r.mention.rule != "acronym"}
    return [r for r in items if r.mention.rule != "acronym" or r.key in keys_of_others or counts[r.key] >= 2
            or r.mention.confidence > CONFIDENCE["acronym"]]


def _phrases_repeated_in(paper: PaperCandidates) -> set[str]:
    """Phrase keys this one paper writes at least twice ("video compression" in a video-codec abstract):
    a paper's own recurring phrase is its topic even when no other paper of the corpus uses it."""
    counts = Counter()
    for fc in paper.fields:
        for m in fc.mentions:
            if m.rule in PHRASE_RULES:
                counts.update({normalise(fc.text[start : m.end]) for start in m.starts})
    return {k for k, n in counts.items() if n >= 2 and " " in k}


MAX_TOPIC_WORDS_PER_PAPER = 2


def _salient_topic_words(items: list[_Resolved]) -> list[_Resolved]:
    """A bare topic word ("generalization", "retrieval") tags the paper only when the paper dwells on it:
    written in the title, or at least twice in the abstract. The most repeated few are kept; a word
    another rule already found in this paper stays as that entity's evidence."""
    words = [r for r in items if r.mention.rule == TOPIC_WORD]
    if not words:
        return items
    counts = Counter(r.key for r in words)
    found_otherwise = {r.key for r in items if r.mention.rule != TOPIC_WORD}
    in_title = {r.key for r in words if r.field == "title"}
    salient = [k for k in counts if k in found_otherwise or k in in_title or counts[k] >= 2]
    fresh = sorted((k for k in salient if k not in found_otherwise), key=lambda k: (k not in in_title, -counts[k], k))
    keep = {k for k in salient if k in found_otherwise} | set(fresh[:MAX_TOPIC_WORDS_PER_PAPER])
    return [r for r in items if r.mention.rule != TOPIC_WORD or r.key in keep]


def _fold_into_title_topics(items: list[_Resolved]) -> None:
    """"machine translation" in a paper titled "... for Statistical Machine Translation" is that paper's
    statistical machine translation: a concept whose words end a title topic becomes part of it."""
    topics = {r.key for r in items if r.mention.rule == TITLE_TOPIC}
    for r in items:
        if r.mention.type != CONCEPT or r.key in topics:
            continue
        wider = next((t for t in topics if t.endswith(" " + r.key)), None)
        if wider:
            r.key, r.kb, r.folded = wider, False, True


def _is_whole_title(r: _Resolved) -> bool:
    """The title is this KB name and nothing else ("Pointer Networks", "Mask R-CNN"): across the seed and
    SciREX titles of this shape every one is the paper that introduced the name."""
    m = r.mention
    return r.field == "title" and r.kb and m.rule.startswith("kb") and fold(m.sentence) == fold(m.text)


def _not_a_thing(long_form: str) -> bool:
    """A long form that measures ("mixed error rate (MER)") or modifies ("Out Of Distribution (OOD)
    detection") rather than names a method, dataset or concept."""
    words = fold(long_form).split()
    return bool(words) and (words[0] in MODIFIER_OPENERS or words[-1] in METRIC_HEADS)


def plain(text: str) -> str:
    """Folded text with every word singular, for "does the abstract repeat this title phrase" tests."""
    return " ".join(singular(w) for w in fold(text).split())


def local_shorts(local: dict[str, str], text: str) -> set[str]:
    """`text` itself when it is a short form defined in this paper, else nothing."""
    return {text} if short_key(text) in local else set()


def _most_common(counts: Counter) -> str:
    return max(counts, key=lambda s: (counts[s], any(c.isupper() for c in s)))
