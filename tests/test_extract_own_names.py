"""How a paper says a name is its own (issue 9, PROPOSES recall on unseen text): "we call X", "our X (ACR)",
"we build X" for a system the KB files as software, "we describe X" for the name the title gives, and a bare
known name defined by an appositive right after the verb."""
from __future__ import annotations

import pytest

from kg.extract.model import CONCEPT, METHOD, PROPOSES


def by_key(hits):
    return {h.key: h for h in hits}


@pytest.mark.parametrize("abstract, key", [
    ("The reason is a phenomenon we call attention sink: models attend to the first tokens.", "attention sink"),
    ("Grading by a strong model is a practice we call LLM-as-a-judge, and we examine it.", "llm as a judge"),
    ("We stack the blocks and we call it FooNet.", "foonet"),
])
def test_the_name_after_we_call_is_the_papers_own(rules, abstract, key):
    hit = by_key(rules.extract_text("A Study", abstract)).get(key)
    assert hit is not None and hit.type == METHOD and hit.relation == PROPOSES


def test_a_task_named_after_we_call_is_a_topic_not_a_proposal(rules):
    hits = by_key(rules.extract_text("A Study", "It is a broader phenomenon we call property generalization: any "
                                                "property carries over."))
    assert hits["property generalization"].type == CONCEPT


def test_a_name_defined_after_our_is_proposed_unless_known(rules):
    hits = by_key(rules.extract_text("Let's Verify", "Our process reward model (PRM) solves 78% of the problems. "
                                                     "We compare our multilayer perceptron (MLP) with it."))
    assert hits["process reward model"].relation == PROPOSES
    assert hits["multilayer perceptron"].relation != PROPOSES


def test_a_system_the_paper_builds_is_kept_though_the_kb_files_it_as_software(rules):
    hits = by_key(rules.extract_text("Efficient Memory Management for Serving",
                                     "We then build vLLM, a serving engine around it. We implement it in PyTorch."))
    assert hits["vllm"].type == METHOD and hits["vllm"].relation == PROPOSES
    assert "pytorch" not in hits  # a library the paper only uses stays out


def test_the_name_the_title_gives_is_proposed_when_the_abstract_describes_it(rules):
    hits = by_key(rules.extract_text("Mixtral of Experts", "Here we describe Mixtral 8x7B, a sparse model."))
    assert hits["mixtral"].relation == PROPOSES
    other = by_key(rules.extract_text("Sparse Models at Scale", "Here we describe Mixtral 8x7B, a sparse model."))
    assert other["mixtral"].relation != PROPOSES  # no title naming it: a known model described


def test_a_bare_known_name_defined_by_an_appositive_is_proposed(rules):
    hits = by_key(rules.extract_text("Fast Inference", "This paper introduces speculative decoding, a way to obtain "
                                                       "several tokens per call."))
    assert hits["speculative decoding"].relation == PROPOSES


def test_a_tuned_release_of_a_known_model_is_a_variant_and_proposed_with_its_parent(rules):
    hits = by_key(rules.extract_text("Llama 2: Open Foundation and Chat Models",
                                     "This report describes Llama 2, together with Llama 2-Chat, tuned for dialogue."))
    chat = hits["llama 2 chat"]
    assert chat.variant_of and chat.relation == PROPOSES and hits["llama 2"].relation == PROPOSES
    used = by_key(rules.extract_text("A Benchmark", "We evaluate Mixtral 8x7B-Instruct and GPT-4."))
    assert used["mixtral 8x7b instruct"].relation != PROPOSES


@pytest.mark.parametrize("abstract, key", [
    ("We call the model CycleGAN. It translates photos.", "cyclegan"),
    ("Our detector, DEtection TRansformer or DETR, has two main ingredients.", "detr"),
    ("A further contribution, Ghost Attention (GAtt), helps the assistant.", "ghost attention"),
    ("Our Dense Passage Retriever (DPR) follows a dual-encoder design.", "dense passage retrieval"),
    ("We present the MuZero algorithm, which combines search with a learned model.", "muzero"),
    ("From this observation we propose compound scaling, which grows all three dimensions.", "compound scaling"),
])
def test_more_ways_a_paper_names_its_own_artefact(rules, abstract, key):
    assert by_key(rules.extract_text("A Study", abstract))[key].relation == PROPOSES


@pytest.mark.parametrize("abstract, key", [
    ("We call the two best ConvNet configurations VGG-16 and VGG-19.", "convolutional neural network"),
    ("We present a BERT model that reads contracts.", "bert"),
])
def test_a_modifier_or_an_instance_of_a_known_model_is_not_proposed(rules, abstract, key):
    assert by_key(rules.extract_text("A Study", abstract))[key].relation != PROPOSES


def test_an_apposition_to_our_results_names_nothing(rules):
    assert "table" not in by_key(rules.extract_text("A Study", "Our results, Table 2 shows, are good."))


def test_the_papers_definition_of_a_short_form_the_kb_knows_as_another_kind_wins(rules):
    hits = by_key(rules.extract_text("A Model", "The biggest ones adopt grouped-query attention (GQA) to keep "
                                                "inference affordable."))
    assert hits["grouped query attention"].type == METHOD
    assert by_key(rules.extract_text("A Model", "We evaluate on GQA and VQA v2."))["gqa"].type != METHOD


def test_an_unknown_name_listed_among_known_datasets_is_a_dataset(rules):
    hits = {h.name: h for h in rules.extract_text("Dense Retrieval", "It reaches new accuracy on Natural Questions, "
                                                                     "TriviaQA, WebQuestions, CuratedTREC and SQuAD.")}
    assert hits["WebQuestions"].type == hits["CuratedTREC"].type == "Dataset"


def test_a_capitalised_word_listed_among_known_models_is_one_of_them(rules):
    hits = {h.name: h for h in rules.extract_text("A Study", "We test it with Llama-2, MPT, Falcon and Pythia. "
                                                             "We thank Google, Microsoft and Amazon.")}
    assert hits["Pythia"].type == METHOD
    assert not {"Google", "Microsoft", "Amazon"} & set(hits)  # no known name in that list


def test_a_guessed_name_listed_with_one_known_dataset_is_a_dataset(rules):
    hits = {h.name: h for h in rules.extract_text("A Study", "It wins on GSM8K, MBPP and non-English editions of "
                                                             "ARC and HellaSwag.")}
    assert hits["ARC"].type == "Dataset"


@pytest.mark.parametrize("title, absent", [
    ("Get To The Point: Summarization with Pointer-Generator Networks", "Get To The Point"),
    ("What Does BERT Look At? An Analysis of BERT's Attention", "BERT's Attention"),
])
def test_a_phrase_or_a_possessive_in_a_title_is_no_proposed_name(rules, title, absent):
    hits = {h.name: h for h in rules.extract_text(title, "We study it on many benchmarks.")}
    assert absent not in hits or hits[absent].relation != PROPOSES


def test_a_number_format_is_no_name(rules):
    assert not {"FP16", "INT8"} & {h.name for h in rules.extract_text("A Study", "Weights stay in FP16 or INT8.")}


def test_known_acronyms_joined_by_a_hyphen_name_a_model_of_their_own(rules):
    hits = {h.name: h for h in rules.extract_text("A Study", "It beats the LSTM-GMM baseline.")}
    assert hits["LSTM-GMM"].type == METHOD


def test_a_title_that_is_one_name_and_that_the_abstract_studies_and_defines_is_proposed(rules):
    hits = {h.name: h for h in rules.extract_text("Self-Rewarding Language Models", "We study Self-Rewarding "
                                                  "Language Models, where a single model answers and grades.")}
    assert hits["Self-Rewarding Language Models"].relation == PROPOSES
