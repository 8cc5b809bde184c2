"""Clean-up rules on strings taken from real listings."""
from kg.ingest.text import author_key, clean_text, title_key


def test_truncation_marker_rejoins_the_word():
    assert clean_text("parts of natural image… (voir plus)s with one another") == "parts of natural images with one another"
    assert clean_text("in terms of both the model … (voir plus)size") == "in terms of both the model size"


def test_latex_becomes_readable():
    assert clean_text(r"$\textbf{A}^2\textbf{CiD}^2$: Accelerating") == "A²CiD²: Accelerating"
    assert clean_text(r"d\'ej\`a vu memorization") == "déjà vu memorization"
    assert clean_text(r"show remarkable performance {\it without} negative pairs") == "show remarkable performance without negative pairs"
    assert clean_text(r"We present {\sc LegendreTron} as") == "We present LegendreTron as"
    assert clean_text(r"\piBO: Augmenting") == "πBO: Augmenting"
    assert clean_text("reports our ``not-so-surprising'' finding") == "reports our “not-so-surprising” finding"


def test_merge_keys():
    assert title_key("Déjà Vu: A Case!") == title_key("deja vu  a case")
    assert title_key("BERT4Rec: Sequential") != title_key("BERT4Rec Sequential Recommendation")
    assert author_key("K. Ramamurthy") == author_key("K Ramamurthy") == author_key("k. ramamurthy")
