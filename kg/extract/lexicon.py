"""Word lists the rules share: context cues for typing, heads of task phrases, and junk to skip.

Kept in one place so the rules read as logic and the vocabulary can grow without touching them.
"""
from __future__ import annotations

# Nouns that, next to a name, say it is a data resource.
DATASET_CUES = frozenset(
    """dataset datasets data-set corpus corpora benchmark benchmarks database databases suite
    collection treebank challenge leaderboard testbed test-bed""".split()
)
# Words anywhere in the sentence that make "on X" look like an evaluation target.
DATASET_CONTEXT = frozenset(
    """images videos collected annotated annotations labeled labelled samples recordings scans
    clips photos sentences documents questions articles""".split()
)
METHOD_CUES = frozenset(
    """model models network networks net nets architecture architectures algorithm algorithms
    loss losses framework frameworks method methods optimizer optimizers optimiser approach approaches
    technique techniques module modules layer layers encoder encoders decoder decoders estimator
    estimators classifier classifiers transformer transformers backbone backbones agent agents
    policy policies mechanism scheme procedure pipeline system systems objective regularizer
    regularization variant variants baseline baselines tokenizer embedding embeddings head""".split()
)
# Head nouns of task / concept phrases ("semantic segmentation", "self-supervised learning").
CONCEPT_HEADS = frozenset(
    """learning generalization generalisation classification detection segmentation recognition
    translation generation estimation retrieval answering prediction reasoning understanding synthesis
    completion tracking summarization summarisation parsing captioning inference optimization
    optimisation alignment adaptation distillation compression pruning quantization search extraction
    labeling labelling tagging recommendation verification memorization clustering regression
    modeling modelling forecasting planning navigation reconstruction localization localisation
    matching editing inpainting denoising super-resolution resolution analysis interpretability
    explainability robustness fairness privacy control identification re-identification discovery
    transfer attribution grounding reranking ranking imputation anonymization unlearning colorization
    deblurring dehazing diarization registration transcription""".split()
)
# Task heads that name a research topic on their own ("generalization", "retrieval", "planning"), unlike
# "learning", "detection" or "analysis", which say nothing without a modifier. A vocabulary list (not
# grown from seed false positives): a bare one becomes a concept only when the paper dwells on it.
STANDALONE_TOPICS = frozenset(
    """generalization generalisation retrieval planning robustness fairness privacy interpretability
    explainability memorization clustering summarization summarisation compression pruning quantization
    distillation forecasting navigation tracking unlearning parsing captioning recommendation imputation
    anonymization inpainting denoising super-resolution reasoning""".split()
)
# Modifiers that never start a task phrase ("novel learning", "our detection").
PHRASE_STOP = frozenset(
    """a an the this that these those our their its his her my your we they it which what who whose
    novel new simple existing previous prior such various different many several improved better
    best efficient effective general standard recent current traditional conventional proposed
    same other more most less further additional certain specific robust strong weak good large small
    high low key main overall whole full first second two three one both each every all any some
    of for in on to with by from as at and or but via into over under than then also only not no
    is are was were be been being has have had do does did can could may might will would should cannot
    using based use used towards toward enable enables enabling allow allows allowing improve improves
    improving achieve achieves achieving perform performs performing study studies studied
    make makes making including include includes e.g. i.e. etc learn learns learned learnt
    when where while whether how why without within across between among upon about after before
    during like unlike across so thus hence however yet through throughout beyond per versus against
    along around well keep keeps help helps""".split()
)
# Capitalised or coined tokens that are not methods or datasets.
NAME_STOP = frozenset(
    """AI ML NLP CV IR RL GPU GPUs CPU CPUs TPU TPUs RGB RGBD API APIs SOTA URL URLs PDF HTML USA UK EU US
    IEEE ACM ICML NeurIPS NIPS ICLR CVPR ECCV ICCV ACL EMNLP NAACL AAAI IJCAI KDD WWW SIGIR COLING ArXiv arXiv
    GitHub Github PyTorch TensorFlow JAX YouTube OpenAI DeepMind LaTeX PhD FAQ TV DNA RNA IoT ID IDs
    OOD IID II III IV VI VII VIII IX XI XII AM PM UTC GMT FLOPs FLOPS GFLOPs TFLOPs MACs FPS GB MB KB TB
    GHz MHz kHz Hz ms dB F1 L1 L2 AUC ROC AUROC AUPR mAP mIoU IoU BLEU ROUGE METEOR CIDEr SPICE PSNR SSIM
    LPIPS FID KID WER CER EER MSE RMSE MAE_metric PPL TM TPR FPR NDCG MRR HR Top-1 Top-5 NOTE TODO
    English Chinese French German Spanish Japanese Korean Arabic Russian Hindi Python Java C++""".split()
)
# Venues: "EMNLP2017", "NeurIPS'21" name a conference edition, never a method or dataset.
VENUES = frozenset(
    """ICML NeurIPS NIPS ICLR CVPR ECCV ICCV ACL EMNLP NAACL EACL AACL AAAI IJCAI KDD WWW SIGIR COLING CoNLL
    Interspeech INTERSPEECH ICASSP MICCAI WACV BMVC CoRL UAI AISTATS COLT ICRA IROS""".split()
)
# Verbs after "we" (or in "this paper ...") that introduce the paper's own contribution.
PROPOSE_VERBS = frozenset(
    """propose proposes proposed introduce introduces introduced present presents presented develop
    develops developed design designs designed devise devises devised build builds built create creates
    created release releases released construct constructs constructed contribute contributes
    curate curates curated collect collects collected""".split()
)
# Articles, determiners and quantifiers: they open a phrase, they are never a name on their own
# ("The" in "The Witness" is kept only as part of the name after it).
DETERMINERS = frozenset(
    """the a an this that these those our their its his her my your each every all any some both several
    many such other various different few most more no""".split()
)
NAMING_WORDS = frozenset("called dubbed named termed coined".split())
# Title prefixes that are not names ("Position: ...", "Survey: ...").
TITLE_PREFIX_STOP = frozenset(
    """position survey review tutorial overview perspective commentary editorial note erratum
    correction abstract introduction preface keynote invited paper report""".split()
)
# Head nouns that end a model's name in a title ("Full-Resolution Residual Networks for ...").
TITLE_NAME_HEADS = frozenset(
    """network networks net nets model models machine machines autoencoder autoencoders auto-encoder
    auto-encoders encoder encoders decoder decoders transformer transformers reader readers pooling
    attention flow flows unit units layer layers embedding embeddings optimizer loss algorithm
    convolution convolutions kernel kernels""".split()
)
# Words that split a title into name-sized pieces, whatever their case.
# Verbs a title states its finding with ("Prompting Elicits Reasoning", "Scale Improves Robustness"): they end a
# title piece and never modify a phrase.
FINDING_VERBS = frozenset(
    """elicits improves enables makes helps learns matters beats outperforms explains yields boosts reveals
    scales generalizes generalises solves needs leads drives shapes works fails emerges requires predicts
    achieves allows benefits hurts harms unlocks induces causes hurt matter shine emerge fail improve elicit
    outperform""".split()
)
TITLE_CONNECTORS = frozenset(
    """for with using via by from in on to of and or a an the without through towards toward into as at
    is are be can do does over under beyond versus vs vs. meets""".split()
) | FINDING_VERBS
# Words that say nothing specific: a title piece made only of these is a description, not a name.
GENERIC_NAME_WORDS = frozenset(
    """deep neural convolutional recurrent network networks net nets model models architecture architectures
    machine machines layer layers unit units algorithm algorithms learning efficient simple novel new improved
    fast faster better large scale small generative probabilistic statistical linear nonlinear non-linear
    general unified scalable robust effective accurate end-to-end embedding embeddings multilingual multiple
    sentence word subword language output input pre-trained pretrained good""".split()
)
# Umbrella fields: too broad to tag a paper with unless its title names them ("computer vision").
BROAD_TOPICS = frozenset(
    " ".join(part.split())
    for part in """computer vision|natural language processing|speech processing|deep learning|machine learning|
    artificial intelligence|neuroscience|pretraining|supervised learning|large language models|language models|generative ai|
    foundation models|data science|statistics|signal processing""".split("|")
)
# Umbrella classes of models: never a topic, even in a title ("... in Large Language Models"; GUIDELINES X2).
UMBRELLA_MODEL_CLASSES = frozenset({"large language models", "language models", "foundation models"})
# Heads of title phrases that describe the paper rather than name its topic ("The Impact of ...").
NON_TOPIC_HEADS = frozenset(
    """impact effect effects pitfall pitfalls finding findings limitation limitations implication implications
    advantage advantages nature perspective perspectives comparison case study studies paradigm framework
    approach approaches method methods view guide lesson lessons quality convergence training data languages
    learners algorithm algorithms need all""".split()
)
# Units written after a number ("44.1 KHz", "8 kbps", "16 GB"): whatever their case, not names.
MEASUREMENT_UNITS = frozenset(
    """hz khz mhz ghz thz bps kbps mbps gbps kb mb gb tb pb kib mib gib ms us ns db dbm fps flops gflops
    tflops pflops mflops kw mw gw kwh mwh wh""".split()
)
# Verbs that turn a title prefix into a sentence ("Order Matters: ...", "Supervision Exists Everywhere: ...").
# Grown from seed false positives; the common third-person verbs of catchy titles.
TITLE_PHRASE_VERBS = frozenset(
    """matters matter exists exist helps help works work makes make needs need meets beats fails learns
    knows goes counts pays says tells wins lies scales generalizes generalises emerges improves""".split()
)
# First words of a long form that make it an adverbial or adjectival phrase, not a thing's name
# ("Out Of Distribution (OOD) detection"). Grown from a seed false positive.
MODIFIER_OPENERS = frozenset("out in on off over under up down within across beyond".split())
# Last words of a long form that name a measurement ("mixed error rate (MER)"): a metric, not graphed.
METRIC_HEADS = frozenset("rate rates score scores ratio ratios accuracy precision recall".split())

# Language names and ISO codes, as written in translation tasks and datasets ("WMT 2014 English-to-German").
LANGUAGES = ("english|german|french|romanian|czech|russian|chinese|japanese|spanish|finnish|turkish|estonian|latvian|"
             "hindi|gujarati|kazakh|lithuanian|vietnamese|arabic|korean|italian|portuguese|dutch")
LANGUAGE_CODES = "en|de|fr|ro|cs|ru|zh|ja|es|fi|tr|et|lv|hi|gu|kk|lt|vi|ar|ko|it|pt|nl"
# Heads of a name that make it an idea, not a method: "stochastic differential equations (SDEs)".
IDEA_HEADS = frozenset("equation theory theorem law principle hypothesis phenomenon paradox conjecture tradeoff "
                       "trade-off".split())
