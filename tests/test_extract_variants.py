"""Whole names built on known ones (issue 9 item 2), metrics as Metric and other non-methods (item 5)."""
from __future__ import annotations

import pytest

from kg.extract.model import CONCEPT, DATASET, METHOD, METRIC, PROPOSES, USES

from conftest import by_name


def by_key(hits):
    return {h.key: h for h in hits}


def test_a_proposed_variant_is_its_own_entity_and_drops_the_parent_it_only_contains(rules):
    hits = by_key(rules.extract_text(
        "Learning to Compose Trees",
        "We propose Gumbel Tree-LSTM, a tree-structured recurrent architecture that learns to compose trees."))
    variant = next(h for h in hits.values() if h.name == "Gumbel Tree-LSTM")
    assert variant.relation == PROPOSES and variant.type == METHOD
    assert variant.variant_of[:2] == (METHOD, "tree lstm")
    assert "tree lstm" not in hits  # only inside the variant: the paper does not use Tree-LSTM for it


def test_the_parent_stays_when_the_paper_names_it_on_its_own(rules):
    hits = by_key(rules.extract_text(
        "Detecting Faces with Region-based Networks",
        "We develop a face detector named Face R-FCN, which builds on R-FCN with position-sensitive pooling."))
    variant = next(h for h in hits.values() if h.name == "Face R-FCN")
    assert variant.variant_of[1] == hits["r fcn"].key and hits["r fcn"].relation == USES


def test_a_variant_written_again_in_lower_case_is_still_the_variant(rules):
    hits = rules.extract_text(
        "Split-Brain Autoencoders: Learning by Cross-Channel Prediction",
        "We propose split-brain autoencoders, which predict one subset of channels from another.")
    variant = next(h for h in hits if h.name == "Split-Brain Autoencoders")
    assert "split-brain autoencoders" in variant.aliases and variant.variant_of[1] == "autoencoder"
    assert not [h for h in hits if h.key == "autoencoder"]


@pytest.mark.parametrize("abstract, known", [
    ("We fine-tune ViT-Huge on ImageNet.", "vision transformer"),  # a model size is the known name itself
    ("Our renderer reaches NeRF-comparable quality in minutes.", "neural radiance field"),  # an ordinary word, not a new name
])
def test_sizes_and_ordinary_words_do_not_make_variants(rules, abstract, known):
    hits = rules.extract_text("A study", abstract)
    assert known in by_key(hits) and not [h for h in hits if h.variant_of]


def test_two_known_names_inside_one_name_make_a_combination_not_a_variant(rules):
    hits = rules.extract_text("Dense Labelling", "This network, called CRF-RNN, is trained end to end.")
    combined = next(h for h in hits if h.name == "CRF-RNN")
    assert combined.variant_of is None


def test_metrics_are_metric_and_venues_are_nothing(rules):
    hits = by_key(rules.extract_text(
        "Tagging Many Languages",
        "We report MSE, KL divergence and BLEU, as published at EMNLP2017, and rate audio with MUSHRA tests."))
    assert {hits[k].type for k in ("mean squared error", "kullback leibler divergence", "bleu")} == {METRIC}
    assert not [h for h in hits.values() if h.type == METHOD]
    assert not [k for k in hits if "emnlp" in k]


def test_an_appositive_says_a_new_name_is_a_dataset(rules):
    hits = rules.extract_text("Memory Networks for Reading",
                              "We introduce WikiMovies, a QA dataset of movie questions, and evaluate on it.")
    assert next(h for h in hits if h.name == "WikiMovies").type == DATASET


def test_a_numbered_version_is_a_variant_of_its_family(rules):
    hits = rules.extract_text(
        "Attention Revisited",
        "GAT computes static attention. We introduce a simple fix and propose GATv2, a dynamic variant. "
        "We compare with MoCo v2 and Inception-v3.")
    named = by_name(hits)
    assert named["GATv2"].relation == PROPOSES and named["GATv2"].variant_of[1] == "graph attention network"
    assert named["MoCo v2"].variant_of[1] == "moco" and named["Inception-v3"].variant_of[1] == "inception network"
    assert next(h for h in hits if h.key == "graph attention network").relation == USES  # mentioned, not proposed


def test_a_proposed_variant_under_a_modifier_of_its_own(rules):
    hits = rules.extract_text("Better Trees", "We propose a novel hierarchical Tree-LSTM that composes phrases.")
    variant = next(h for h in hits if h.relation == PROPOSES)
    assert variant.name.lower() == "hierarchical tree-lstm" and variant.variant_of[1] == "tree lstm"


def test_an_acronym_after_a_clause_belongs_to_another_name(rules):
    hits = rules.extract_text(
        "Phrase Representations",
        "We propose a neural network model called RNN Encoder-Decoder that consists of two recurrent neural "
        "networks (RNN).")
    proposed = {h.name for h in hits if h.relation == PROPOSES}
    assert proposed == {"RNN Encoder-Decoder"}


@pytest.mark.parametrize("abstract, proposed", [
    ("First, we introduce the post-activation interpolation on voxel density, which is fast.",
     "post-activation interpolation"),
    ("We propose a progressive tokenization strategy to train faster.", "progressive tokenization"),
    ("Our NeuMF instance combines two models.", "NeuMF"),
    ("In this paper, we propose an asymmetric tri-training method for domain adaptation.", "asymmetric tri-training"),
    ("We propose hierarchical prompting, where each step refines the last.", "hierarchical prompting"),
])
def test_proposals_named_by_description_or_owned(rules, abstract, proposed):
    hits = rules.extract_text("A Study", abstract)
    assert proposed in {h.name for h in hits if h.relation == PROPOSES}


@pytest.mark.parametrize("abstract", [
    "We present a theoretical analysis of attention.",  # a result, not an artefact
    "We propose a new method for parsing.",  # generic
    "We propose a contrastive loss for retrieval.",  # a known name the paper does not own
    "We propose jointly training the encoder and the decoder.",  # an action
    "We propose soft, sparse attention for retrieval.",  # a list of qualities
    "We propose a new aggregator specifically designed to satisfy this.",  # an adverb ends the description
])
def test_descriptions_that_name_nothing_of_the_papers_own(rules, abstract):
    assert not [h.name for h in rules.extract_text("A Study", abstract) if h.relation == PROPOSES]


@pytest.mark.parametrize("title, abstract, proposed", [
    ("Beyond the Imitation Game", "We introduce the Beyond the Imitation Game benchmark (BIG-bench), 200 tasks.",
     "BIG-bench"),  # a known name opening with a modifier word
    ("Segment Anything", "We used SAM in a data engine loop to collect SA-1B, a dataset of 1 billion masks.",
     "SA-1B"),  # "we ... to collect X"
    ("Adam", "We propose Adam. We also describe AdaMax, a variant using the infinity norm.", "AdaMax"),
])
def test_more_proposal_cues(rules, title, abstract, proposed):
    assert proposed in {h.name for h in rules.extract_text(title, abstract) if h.relation == PROPOSES}


@pytest.mark.parametrize("abstract", [
    "We introduce a set of models that use neural networks to create HyperE, an embedding.",  # the models create them
    "We describe BERT in detail before we fine-tune it.",  # "describe" proposes only a coined name of no earlier work
    "In this paper, we revisit one classical regularization named Dropout.",  # a known name needs more than "we"
])
def test_weaker_cues_that_propose_nothing_of_the_papers_own(rules, abstract):
    assert not [h.name for h in rules.extract_text("A Study", abstract) if h.relation == PROPOSES]


def test_the_kind_of_thing_before_a_known_name_is_no_variant(rules):
    hits = rules.extract_text("Image BERT Pre-training", "We present a self-supervised framework iBOT that works.")
    assert [h.name for h in hits if h.relation == PROPOSES] == ["iBOT"]


def test_names_built_on_the_papers_own_name_are_its_own(rules):
    hits = rules.extract_text("AdANNS: Adaptive Search", "We propose AdANNS, a framework for search. Its AdANNS-IVF "
                                                          "clustering beats IVF indexes.")
    relations = {h.name: h.relation for h in hits}
    assert relations["AdANNS-IVF"] == PROPOSES and relations["AdANNS"] == PROPOSES
    assert relations.get("IVF") != PROPOSES


def test_a_description_stops_before_the_verb_that_follows_it(rules):
    hits = rules.extract_text("A Study", "We present a multi-session model trained on many recordings.")
    assert [h.name for h in hits if h.relation == PROPOSES] == ["multi-session model"]


def test_dataset_editions_and_language_pairs_are_collections_of_their_own(rules):
    hits = rules.extract_text(
        "Translating Better",
        "On the WMT 2014 English-to-German task, WMT16 En-Ro and PASCAL VOC 2012 we improve; SQuAD 2.0 and Atari 2600 "
        "games too.")
    named = by_name(hits)
    for name in ("WMT 2014 English-to-German", "WMT16 En-Ro"):
        assert named[name].variant_of[1] == "wmt"
    assert named["PASCAL VOC 2012"].variant_of[1] == "pascal voc"
    assert named["SQuAD 2.0"].variant_of is None  # a form the KB knows stays the KB's entry
    assert "Atari 2600 games" in named["Arcade Learning Environment"].aliases


def test_a_mixed_case_title_acronym_is_spelt_by_its_capitals(rules):
    hits = rules.extract_text("CyCADA: Cycle-Consistent Adversarial Domain Adaptation",
                              "We propose a Cycle-Consistent Adversarial Domain Adaptation model. CyCADA adapts pixels.")
    [own] = [h for h in hits if h.relation == PROPOSES]
    assert own.type == METHOD and {"CyCADA", "Cycle-Consistent Adversarial Domain Adaptation"} <= set(own.aliases)


def test_a_list_of_qualities_is_no_proposed_name(rules):
    hits = rules.extract_text("Neural Audio Codecs", "We introduce a state-of-the-art real-time, high-fidelity, audio codec.")
    assert not [h.name for h in hits if h.relation == PROPOSES]


@pytest.mark.parametrize("title, name, parent", [
    ("Frustum PointNets for 3D Object Detection from RGB-D Data", "Frustum PointNets", "PointNet"),
    ("Sparse Transformers for Long Sequences", "Sparse Transformers", "Transformer"),
])
def test_a_title_piece_ending_in_a_known_method_is_the_papers_variant(rules, title, name, parent):
    hit = next(h for h in rules.extract_text(title, "We evaluate on KITTI.") if h.name == name)
    assert hit.relation == PROPOSES and hit.variant_of[2] == parent


@pytest.mark.parametrize("title", ["Deep Transformers for Translation", "Vision Transformers for Dense Prediction"])
def test_a_generic_word_or_a_known_name_in_a_title_is_no_new_variant(rules, title):
    assert not [h for h in rules.extract_text(title, "We evaluate on KITTI.") if h.variant_of]


def test_a_coined_name_holding_two_known_names_is_kept_as_its_own(rules):
    names = {h.name for h in rules.extract_text("Segmentation", "Our best model, DeepLab-MSc-CRF-LargeFOV, wins.")}
    assert {"DeepLab-MSc-CRF-LargeFOV", "DeepLab", "Conditional Random Field"} <= names


def test_an_acronym_with_two_more_capitalised_parts_is_a_name(rules):
    names = {h.name for h in rules.extract_text("Energy GANs", "We compare the approximation (EGAN-Ent-VI) with "
                                                                 "PAC-Bayesian bounds.")}
    assert "EGAN-Ent-VI" in names and "PAC-Bayesian" not in names


def test_the_papers_own_name_over_a_defined_acronym_is_kept(rules):
    hits = rules.extract_text("Towards Conceptual Compression", "The Deep Recurrent Attentive Writer (DRAW) is "
                                                                "strong. We introduce convolutional DRAW.")
    relations = {h.name: h.relation for h in hits}
    assert relations["convolutional DRAW"] == PROPOSES
    assert relations["Deep Recurrent Attentive Writer"] != PROPOSES


def test_the_technique_the_title_names_and_the_abstract_defines_after_we_study_is_proposed(rules):
    title = "Chain-of-Thought Prompting Elicits Reasoning in Large Language Models"
    hits = rules.extract_text(title, "We study chain-of-thought prompting, in which exemplars spell out steps.")
    assert {h.name: h.relation for h in hits}["Chain-of-Thought Prompting"] == PROPOSES
    described = rules.extract_text("Transformers Learn In-Context", "We study Transformers, which learn in context.")
    assert {h.name: h.relation for h in described}["Transformer"] != PROPOSES  # described, not defined


@pytest.mark.parametrize("title, abstract, name", [
    ("Distilling the Knowledge in a Neural Network", "We propose knowledge distillation: a small model learns.",
     "Knowledge Distillation"),  # a known name, bare and defined
    ("Deep Residual Learning for Image Recognition", "We propose residual learning, where each block learns.",
     "Residual Learning"),  # the title's topic reading gives way to the proposal
])
def test_a_bare_name_defined_after_the_verb_is_the_papers_method(rules, title, abstract, name):
    hit = next(h for h in rules.extract_text(title, abstract) if h.name == name)
    assert hit.type == METHOD and hit.relation == PROPOSES


def test_a_described_framework_leaves_the_titles_topic_alone(rules):
    hits = rules.extract_text("Denoising Diffusion via Rendering", "We propose a denoising-diffusion framework.")
    assert {h.name: h.type for h in hits}["Denoising Diffusion"] == CONCEPT


@pytest.mark.parametrize("abstract, name, parent", [
    ("BERT improves question answering on SQuAD v1.1 and v2.0.", "SQuAD v2.0", "SQuAD"),
    ("New BLEU scores on the WMT 2014 English-to-German and English-to-French tasks.", "WMT 2014 English-to-French",
     "WMT"),
])
def test_the_next_edition_written_without_its_family_is_a_variant_of_it(rules, abstract, name, parent):
    hit = next(h for h in rules.extract_text("Results", abstract) if h.name == name)
    assert hit.type == DATASET and hit.variant_of[2] == parent


def test_an_appositive_list_after_a_dataset_noun_is_datasets(rules):
    hits = rules.extract_text("Recommendation", "On four benchmark datasets, MovieLens-1M, Amazon Beauty and Steam, "
                                                "BERT4Rec outperforms GRU4Rec. On standard datasets, BERT and RoBERTa "
                                                "outperform older models.")
    types = {h.name: h.type for h in hits}
    assert types["Amazon Beauty"] == types["Steam"] == DATASET
    assert types["BERT4Rec"] == types["BERT"] == METHOD
