"""The span model's spans as per-paper evidence (kg.extract.span_evidence): pure functions over mentions."""
from __future__ import annotations

from kg.extract.mentions import Mention
from kg.extract.model import CONCEPT, DATASET, METHOD
from kg.extract.span_evidence import apply_spans, inside_task, is_quantity, new_names, split_spans


def span(start, end, text, label, sentence="x"):
    return Mention(start, end, text, f"span-{label}", sentence)


def test_metric_is_dropped_and_names_are_typed():
    fid = Mention(10, 13, "FID", "acronym")
    svhn = Mention(20, 24, "SVHN", "acronym")
    kb = Mention(30, 33, "BLEU", "kb", kb_key="bleu", type=METHOD)
    spans = [span(10, 13, "FID", "metric"), span(20, 24, "SVHN", "dataset"), span(30, 33, "BLEU", "metric")]
    kept = apply_spans([fid, svhn, kb], spans)
    assert fid not in kept and svhn.type == DATASET and kb in kept  # the KB's reading stands


def test_defined_short_form_and_shorthand_survive():
    short = Mention(0, 3, "APE", "abbrev", long_form="Absolute Position Embedding")
    member = Mention(10, 13, "100", "shorthand", long_form="CIFAR-100")
    assert apply_spans([short, member], [span(0, 3, "APE", "metric")]) == [short, member]


def test_quantities_are_not_names():
    assert is_quantity("16x16") and is_quantity("1.5B") and is_quantity("300M")
    assert not is_quantity("JFT-300M") and not is_quantity("T5")


def test_task_spans_and_new_names():
    spans = [span(0, 21, "multi-object tracking", "task"), span(40, 49, "DroneSpot", "dataset", "On DroneSpot")]
    assert inside_task(6, 21, spans) and not inside_task(30, 35, spans)
    found = new_names([], spans, set())
    assert [(m.text, m.type, m.rule) for m in found] == [("DroneSpot", DATASET, "span-name")]
    rules, model = split_spans([Mention(0, 1, "x", "kb"), *spans])
    assert len(rules) == 1 and len(model) == 2 and CONCEPT


def spans_in(text, label, *phrases):
    return [span(text.index(p), text.index(p) + len(p), p, label, text) for p in phrases]


def test_task_span_is_cut_to_the_task_it_names():
    from kg.extract.span_evidence import task_of

    text = ("Binary codes can be used for fast document retrieval, for Web-scale semantic search and for "
            "downstream analysis tasks such as video regression tasks or controllable generation.")
    spans = spans_in(text, "task", "fast document retrieval", "Web-scale semantic search",
                     "downstream analysis tasks", "video regression tasks", "controllable generation")
    tasks = [task_of(s) for s in spans]
    assert [t.text if t else None for t in tasks] == [
        "document retrieval", "semantic search", None, "video regression", None]
    assert all(text[t.start : t.end] == t.text for t in tasks if t)
    assert task_of(spans_in(text, "method", "Binary codes")[0]) is None


def test_a_phrase_is_a_task_only_where_the_span_names_its_task():
    text = "This overhead results in poor single-sample compression rates, while fast document retrieval is easy."
    spans = spans_in(text, "task", "single-sample compression rates", "fast document retrieval")
    phrase = text.index("single-sample compression")
    assert not inside_task(phrase, phrase + len("single-sample compression"), spans)  # the span is about rates
    fast, end = text.index("fast document"), text.index(" is easy")
    assert not inside_task(fast, end, spans) and inside_task(fast + len("fast "), end, spans)


def test_a_name_inside_a_longer_task_span_is_not_the_task():
    text = "The ensemble won the ILSVRC 2015 classification task, and our tagger improves on the NER task."
    ilsvrc = Mention(text.index("ILSVRC"), text.index("ILSVRC") + 6, "ILSVRC", "acronym", text)
    ner = Mention(text.index("NER"), text.index("NER") + 3, "NER", "acronym", text)
    confidence = ilsvrc.confidence
    apply_spans([ilsvrc, ner], spans_in(text, "task", "ILSVRC 2015 classification task", "NER task"))
    assert ilsvrc.type is None and ilsvrc.confidence == confidence  # the benchmark the task is on
    assert ner.type == CONCEPT


def test_a_lower_case_task_long_form_keeps_its_type_but_a_capitalised_one_is_a_name():
    text = ("Web-scale search relies on approximate nearest neighbour search (ANNS) over embeddings. "
            "Under Maximum Likelihood Estimation (MLE) the estimator is consistent.")
    long = "approximate nearest neighbour search"
    at = text.index(long)
    anns = [Mention(at, at + len(long), long, "abbrev", text),
            Mention(text.index("ANNS"), text.index("ANNS") + 4, "ANNS", "abbrev", text, long_form=long),
            Mention(text.index("ANNS"), text.index("ANNS") + 4, "ANNS", "acronym", text)]
    mle = Mention(text.index("Maximum"), text.index(" (MLE)"), "Maximum Likelihood Estimation", "abbrev", text)
    apply_spans([*anns, mle], spans_in(text, "method", long, "ANNS", "Maximum Likelihood Estimation"))
    assert [m.type for m in anns] == [None, None, None]  # typed later by its head: the task a method solves
    assert mle.type == METHOD


def test_salient_tasks_count_the_cut_tasks():
    from kg.extract.span_evidence import salient_task_keys

    text = "We study fast document retrieval. Document retrieval tasks need long contexts."
    spans = spans_in(text, "task", "fast document retrieval", "Document retrieval tasks")
    assert salient_task_keys([(None, [], spans)]) == {"document retrieval"}


def test_model_vetoes_a_task_phrase_it_reads_as_part_of_something_else():
    from kg.extract.span_evidence import reads_otherwise

    text = ("Unlike learning-based compression methods, the key challenges involve modeling long-term "
            "dependencies, which matters for video regression tasks.")
    spans = [*spans_in(text, "method", "learning-based compression methods"),
             *spans_in(text, "task", "modeling long-term dependencies", "video regression tasks")]

    def vetoed(phrase):
        return reads_otherwise(text.index(phrase), text.index(phrase) + len(phrase), spans)

    assert vetoed("learning-based compression")  # a method's name holds it
    assert vetoed("challenges involve modeling")  # its last word opens a longer task
    assert not vetoed("video regression")  # the task a TASK span names, before its trailing "tasks"


def test_a_name_the_field_defines_or_cues_keeps_its_reading():
    text = "We propose Masked Autoencoders (MAE) for vision. The corpus, the Penn Discourse TreeBank (PDTB), grows."
    at, pdtb = text.index("MAE"), text.index("PDTB")
    proposed = Mention(at, at + 3, "MAE", "propose-verb", text, type=METHOD, proposes=True)
    short = Mention(at, at + 3, "MAE", "abbrev", text, long_form="Masked Autoencoders")
    cue = Mention(pdtb, pdtb + 4, "PDTB", "dataset-cue", text, type=DATASET)
    acronym = Mention(pdtb, pdtb + 4, "PDTB", "acronym", text)
    spans = [span(at, at + 3, "MAE", "metric", text), span(pdtb, pdtb + 4, "PDTB", "method", text)]
    kept = apply_spans([proposed, short, cue, acronym], spans)
    assert proposed in kept and short in kept  # "MAE" is defined here: not the metric (mean absolute error)
    assert cue.type == DATASET and acronym.type is None  # the cue's Dataset, not the model's Method
    assert apply_spans([Mention(at, at + 3, "MAE", "acronym", text)], spans[:1]) == []  # undefined: a metric


def test_an_acronym_ending_a_capitalised_name_span_takes_the_whole_name():
    text = "Our treebank is an order of magnitude smaller than Penn WSJ, and we report on ASCEND English too."
    wsj = Mention(text.index("WSJ"), text.index("WSJ") + 3, "WSJ", "acronym", text)
    ascend = Mention(text.index("ASCEND"), text.index("ASCEND") + 6, "ASCEND", "acronym", text)
    kept = apply_spans([wsj, ascend], spans_in(text, "dataset", "Penn WSJ", "ASCEND English"))
    assert [(m.text, m.type, m.rule) for m in kept] == [
        ("Penn WSJ", DATASET, "span-name"), ("ASCEND", DATASET, "acronym")]  # "English" names a part of it
