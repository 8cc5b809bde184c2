"""`Extractor`: runs the pipeline over every title and abstract, then resolves entities corpus-wide."""
from __future__ import annotations

from typing import Callable, Iterable, Protocol

from spacy.tokens import Doc

from kg.extract.kb import load_kb
from kg.extract.mentions import abbreviations_of, mentions_of, text_of
from kg.extract.model import EntityHit
from kg.extract.pipeline import build_pipeline, choose_model, span_model_wanted
from kg.extract.resolve import CorpusResolver, FieldCandidates, PaperCandidates

BATCH_SIZE = 64


class PaperLike(Protocol):
    id: str
    title: str
    abstract: str | None


class Extractor:
    """Build once, reuse: loading the model and compiling the KB matchers is the slow part."""

    @property
    def flavour(self) -> str:
        """What decides the output besides the code: the spaCy mode and whether the span model runs."""
        return self.mode + ("+span" if self.span_model else "")

    def __init__(self, model: str | None = None, kb_dir: str | None = None, span_model: bool | None = None):
        self.mode = choose_model(model)
        self.span_model = span_model_wanted() if span_model is None else span_model
        self.nlp = build_pipeline(self.mode, kb_dir, span_model=self.span_model)
        self.kb = load_kb(kb_dir)

    def extract_corpus(
        self, papers: Iterable[PaperLike], progress: Callable[[int], None] | None = None
    ) -> dict[str, list[EntityHit]]:
        return self.resolve(self.candidates(papers, progress))

    def resolve(self, candidates: Iterable[PaperCandidates]) -> dict[str, list[EntityHit]]:
        """The corpus step over per-paper candidates, in paper-id order so the answer never depends on the
        order papers were loaded in."""
        return CorpusResolver(self.kb).resolve(sorted(candidates, key=lambda c: c.paper_id))

    def iter_hits(self, candidates: Iterable[PaperCandidates]):
        """Like `resolve`, as (paper id, hits) in paper-id order, each paper's hits built when reached."""
        return CorpusResolver(self.kb).iter_hits(sorted(candidates, key=lambda c: c.paper_id))

    def candidates(
        self, papers: Iterable[PaperLike], progress: Callable[[int], None] | None = None
    ) -> list[PaperCandidates]:
        """The per-paper half of extraction: what the pipeline finds in each paper on its own (cacheable)."""
        papers = list(papers)
        candidates = {p.id: PaperCandidates(p.id) for p in papers}
        remaining = {p.id: 1 + bool(p.abstract) for p in papers}
        done = 0
        for doc, paper_id in self.nlp.pipe(self._docs(papers), batch_size=BATCH_SIZE, as_tuples=True):
            candidates[paper_id].fields.append(
                FieldCandidates(doc._.kg_field, text_of(doc), mentions_of(doc), abbreviations_of(doc))
            )
            remaining[paper_id] -= 1
            if remaining[paper_id] == 0:
                done += 1
                if progress:
                    progress(done)
        return list(candidates.values())

    def extract_text(self, title: str, abstract: str | None = None) -> list[EntityHit]:
        """One paper on its own (no corpus to learn acronyms or recurring phrases from)."""
        paper = _Paper("doc", title or "", abstract)
        return self.extract_corpus([paper])["doc"]

    def _docs(self, papers: list[PaperLike]):
        for paper in papers:
            for field_name, text in (("title", paper.title or ""), ("abstract", paper.abstract)):
                if text is None or (field_name == "abstract" and not text.strip()):
                    continue
                doc: Doc = self.nlp.make_doc(text)
                doc._.kg_field = field_name
                yield doc, paper.id


class _Paper:
    def __init__(self, id: str, title: str, abstract: str | None):
        self.id, self.title, self.abstract = id, title, abstract
