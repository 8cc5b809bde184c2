"""Component `kg_new_names`: names the KB does not know yet, one module per rule family.

Rules: title prefix ("BERT4Rec: ...") and title names (`titles`), "we propose/introduce X" and "called X"
(`proposals`), "we call X", "our X (ACR)" and "our detector, X" (`own_names`), "X dataset/benchmark" lists
(`datasets`), shorthand series "CIFAR-10/100" (`series`), named losses and listed objectives (`objectives`),
regimes of known techniques, "supervised fine-tuning" (`regimes`), unknown names listed among known ones
(`listed`), coined tokens and bare acronyms (`coined`,
linked to their expansion later). Word shapes are shared (`shapes`).
"""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from kg.extract.mentions import mentions_of
from kg.extract.names.coined import coined_names
from kg.extract.names.datasets import dataset_lists
from kg.extract.names.listed import names_listed_with_known
from kg.extract.names.objectives import objective_lists, objective_names
from kg.extract.names.own_names import named_in_apposition, our_defined_names, we_call_names
from kg.extract.names.regimes import regime_variants
from kg.extract.names.proposals import after_naming_words, after_propose_verbs
from kg.extract.names.series import shorthand_series
from kg.extract.names.shapes import name_shape, words_of
from kg.extract.names.titles import title_names, title_prefix

__all__ = ["NewNameFinder", "name_shape", "words_of"]


class NewNameFinder:
    """Adds every rule's candidates to the doc's mentions; the corpus step decides which survive."""

    def __call__(self, doc: Doc) -> Doc:
        found = mentions_of(doc)
        words = words_of(doc)
        if doc._.kg_field == "title":
            found.extend(title_prefix(doc) or title_names(doc, words))
        found.extend(after_propose_verbs(doc, words))
        found.extend(after_naming_words(doc, words))
        found.extend(dataset_lists(doc, words))
        found.extend(shorthand_series(doc))
        found.extend(coined_names(words))
        found.extend(we_call_names(doc, words))
        found.extend(our_defined_names(doc))
        found.extend(named_in_apposition(doc, words))
        found.extend(objective_names(doc, words))
        found.extend(objective_lists(doc, words))
        found.extend(regime_variants(doc))
        found.extend(names_listed_with_known(doc, words))
        return doc


@Language.factory("kg_new_names", assigns=["doc._.kg_mentions"])
def make_new_name_finder(nlp: Language, name: str):
    return NewNameFinder()
