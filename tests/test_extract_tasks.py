"""Task phrases a paper writes once are tasks on their own (issue 9: missed tasks were the largest class)."""
from __future__ import annotations

import pytest

from kg.extract.model import CONCEPT
from kg.extract.tasks import names_a_task, narrows


def concepts(rules, title, abstract):
    return {h.key for h in rules.extract_text(title, abstract) if h.type == CONCEPT}


def test_a_task_written_once_and_its_coordinated_twin_are_found(rules):
    found = concepts(rules, "An Evaluation on Highway Driving", "We study problems such as car and lane detection.")
    assert {"car detection", "lane detection"} <= found


def test_coordination_over_a_hyphenated_modifier(rules):
    found = concepts(rules, "Tagging Many Languages", "We report results on part-of-speech and morphological tagging.")
    assert {"part of speech tagging", "morphological tagging"} <= found


@pytest.mark.parametrize("phrase, before", [
    ("future generations", ""),  # a plural head names people or outputs, not the task
    ("accurate detection", ""),  # how well, not which task
    ("encourage invariant prediction", "losses to "),  # a verb phrase
    ("detection", ""),  # a head alone says nothing
    ("five detection", ""),
    ("challenges involve modeling", ""),  # a subject and a verb
    ("simultaneously clustering", ""),  # an adverb
    ("comprehensive theoretical understanding", ""),  # judgements
])
def test_what_is_not_a_task_phrase(phrase, before):
    assert not names_a_task(phrase, before)


@pytest.mark.parametrize("abstract, task", [
    ("Pre-training also improves COCO object detection and segmentation.", "segmentation"),
    ("It improves segmentation and depth estimation on indoor scenes.", "segmentation"),
    ("Sampling gives controllable generation such as inpainting and colorization.", "colorization"),
    ("Sampling gives controllable generation such as inpainting and colorization.", "inpainting"),
])
def test_a_bare_task_head_listed_with_tasks_is_a_task(rules, abstract, task):
    assert task in concepts(rules, "A Study", abstract)


@pytest.mark.parametrize("abstract", [
    "We predict segmentation masks and boxes for object detection and segmentation masks.",  # modifies a noun
    "Images are cropped before segmentation and after denoising.",  # steps of a process, no task listed
    "The detector finds lanes; segmentation is then refined.",  # written alone
])
def test_a_bare_task_head_outside_a_list_of_tasks_is_not_a_task(rules, abstract):
    assert not {"segmentation", "denoising"} & concepts(rules, "A Study", abstract)


@pytest.mark.parametrize("abstract, task, wrong", [
    ("Choosing what to label through active learning saves labels.", "active learning", "through active learning"),
    ("The vectors help named entity recognition.", "named entity recognition", "help named entity recognition"),
    ("Larger models keep inference affordable.", None, "keep inference"),
    ("We report English-Russian translation results.", None, "english russian translation"),
])
def test_a_function_word_verb_or_language_pair_opens_no_task(rules, abstract, task, wrong):
    found = concepts(rules, "A Study", abstract)
    assert wrong not in found and (task is None or task in found)


def test_fast_and_accurate_detection_is_not_two_tasks(rules):
    found = concepts(rules, "A Detector", "We propose fast and accurate detection of small parts.")
    assert not {"fast detection", "accurate detection"} & found


def test_a_task_narrowing_a_known_one_is_the_papers_task(rules):
    found = concepts(rules, "Poses from Depth",
                     "We address 6D pose estimation and 3D object recognition, and weakly supervised object detection.")
    assert {"6d pose estimation", "3d object recognition", "weakly supervised object detection"} <= found
    assert not {"human pose estimation", "object detection"} & found  # the issue's "6D pose estimation becomes
    # human pose estimation": a known task inside the paper's narrower one is not the paper's task


@pytest.mark.parametrize("phrase, known", [
    ("renders explicit outlier detection", "outlier detection"),  # a verb in front
    ("modern program synthesis", "program synthesis"),  # a judgement
    ("object detection", "object detection"),  # nothing added
])
def test_what_does_not_narrow_a_known_task(phrase, known):
    assert not narrows(phrase, known)


def test_a_comma_list_of_modifiers_shares_the_head(rules):
    found = concepts(rules, "Prompting", "Gains cover arithmetic, commonsense, and symbolic reasoning benchmarks.")
    assert {"arithmetic reasoning", "commonsense reasoning", "symbolic reasoning"} <= found


def test_a_known_task_of_any_head_narrowed_once_is_the_papers_task(rules):
    found = concepts(rules, "Bridging Gaps", "We improve cross-lingual natural language inference and study "
                                             "non-contrastive self-supervised learning.")
    assert {"cross lingual natural language inference", "non contrastive self supervised learning"} <= found
    assert not {"natural language inference", "self supervised learning"} & found


@pytest.mark.parametrize("phrase, known", [
    ("efficient self-supervised learning", "self-supervised learning"),  # how well, not which
    ("deep reinforcement learning", "reinforcement learning"),  # the family of solutions
    ("models representation learning", "representation learning"),  # a plural in front
    ("simultaneously clustering", "clustering"),  # an adverb
])
def test_what_does_not_narrow_a_known_task_of_any_head(phrase, known):
    assert not narrows(phrase, known)


def test_a_capitalised_compound_keeps_its_word_out_of_a_coordination(rules):
    found = concepts(rules, "A Unified Model for Reverse Dictionary and Definition Modelling", "We build one model.")
    assert "dictionary modelling" not in found


def test_deictic_and_judging_words_open_no_task(rules):
    found = concepts(rules, "Supervised Compression", "The aforementioned naive data compression wastes bandwidth.")
    assert not any(k.startswith(("aforementioned", "naive")) for k in found)


def test_a_compound_noun_keeps_its_word_out_of_a_coordination(rules):
    found = concepts(rules, "C-LSTM", "We use it for sentence representation and text classification.")
    assert "text classification" in found and "representation classification" not in found


@pytest.mark.parametrize("title, abstract, wrong, right", [
    ("BERT", "Gains on the GLUE benchmark, MultiNLI and question answering on SQuAD.",
     {"benchmark answering", "multinli answering"}, "question answering"),  # names listed beside a task
    ("Attention", "It does well on the WMT 2014 English-to-French machine translation task.",
     {"english to french machine translation"}, "machine translation"),  # a language pair narrows nothing
    ("Chain of Thought", "Exemplars spell out the intermediate reasoning steps of commonsense reasoning.",
     {"intermediate reasoning"}, "commonsense reasoning"),  # a phrase that modifies "steps"
])
def test_what_only_looks_like_a_narrower_task(rules, title, abstract, wrong, right):
    found = concepts(rules, title, abstract)
    assert right in found and not wrong & found


def test_scale_and_judgement_words_are_not_task_modifiers():
    from kg.extract.tasks import names_a_task, says_how

    assert says_how("web-scale") and says_how("large-scale") and says_how("poor") and not says_how("semantic")
    assert not names_a_task("web-scale image retrieval") and not names_a_task("poor image compression")
    assert names_a_task("image retrieval")


@pytest.mark.parametrize("phrase, known", [
    ("multilingual machine translation", "machine translation"),
    ("sentence retrieval", "retrieval"),
])
def test_domain_words_generic_in_names_still_narrow_a_task(phrase, known):
    assert narrows(phrase, known)
