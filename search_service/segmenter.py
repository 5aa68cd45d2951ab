"""underthesea's word-segmentation model, run from its own weights without building its feature strings.

``underthesea.word_tokenize`` tags each syllable B-W (begins a word) or I-W (continues one) with a linear-chain CRF
(the model ``ws_crf_vlsp2013_20230727`` shipped inside the package). Its featurizer writes 43 feature strings per
syllable (``T[-1,0]=ủy ban``, ``T[0].is_in_dict=True``, ...) and the tagger looks each one up again: two thirds of
the cost of segmenting a news article is making and hashing those strings (35 µs a syllable).

Every one of those features is a function of one, two or three neighbouring syllables, so the same sums can be
taken per syllable, per pair and per triple instead: a syllable's features at all five offsets are computed once
(by underthesea's own featurizer) and kept; a pair's and a triple's are one lookup each in a table of the model's
weights keyed by their text. The best tag sequence is then found by Viterbi over the two labels, as the CRF does.
The tags are underthesea's (``tests/test_analysis.py`` compares them with its tagger on the bundled sample; 1.9
million VNTC syllables gave no difference), at a tenth of the cost.

The model file is CRFsuite's binary format (``crf1d_model.c``): a header, the features (type, source, target,
weight), and the labels and attributes as CQDB string tables; only the parts needed here are read.
python-crfsuite can open it, but its ``info()`` rounds the weights to six decimals, which changes some tags.

If the installed underthesea's model is not the one this was written for (other feature templates), ``tagger()``
returns ``None`` and the caller uses underthesea's featurizer and tagger as they are.
"""

from __future__ import annotations

import importlib.util
import struct
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

MODEL = "ws_crf_vlsp2013_20230727"  # the folder of the model underthesea.word_tokenize loads
BEGIN, INSIDE = "B-W", "I-W"
UNIGRAM_OFFSETS = (-2, -1, 0, 1, 2)
BIGRAM_OFFSETS = (-2, -1, 0, 1)  # T[k,k+1]
TRIGRAM_OFFSETS = (-2, -1, 0)  # T[k,k+2]
TEMPLATES = [
    *(f"T[{k}]" for k in UNIGRAM_OFFSETS),
    *(f"T[{k},{k + 1}]" for k in BIGRAM_OFFSETS),
    *(f"T[{k},{k + 2}]" for k in TRIGRAM_OFFSETS),
    *(f"T[{k}].lower" for k in UNIGRAM_OFFSETS),
    *(f"T[{k},{k + 1}].lower" for k in BIGRAM_OFFSETS),
    *(f"T[{k}].isdigit" for k in (-1, 0, 1)),
    *(f"T[{k}].istitle" for k in UNIGRAM_OFFSETS),
    "T[0,1].istitle",
    "T[0,2].istitle",
    *(f"T[{k}].is_in_dict" for k in UNIGRAM_OFFSETS),
    *(f"T[{k},{k + 1}].is_in_dict" for k in BIGRAM_OFFSETS),
    *(f"T[{k},{k + 2}].is_in_dict" for k in TRIGRAM_OFFSETS),
]
MEMO_LIMIT = 200_000  # syllables whose features are kept; a text of new syllables cannot grow the memo for ever


def read_crfsuite(path: Path) -> tuple[list[str], dict[str, list[float]], list[list[float]]]:
    """Labels, state weights per attribute (one per label) and transition weights of a CRFsuite model file."""
    data = path.read_bytes()
    if data[:4] != b"lCRF" or data[8:12] != b"FOMC":
        raise ValueError(f"{path}: not a CRFsuite model")
    _, num_labels, num_attrs, off_features, off_labels, off_attrs = struct.unpack_from("<6I", data, 16)
    labels = _read_cqdb(data, off_labels, num_labels)
    attrs = _read_cqdb(data, off_attrs, num_attrs)
    if data[off_features : off_features + 4] != b"FEAT":
        raise ValueError(f"{path}: no feature chunk")
    (count,) = struct.unpack_from("<I", data, off_features + 8)
    state: dict[str, list[float]] = {}
    transitions = [[0.0] * num_labels for _ in range(num_labels)]
    for kind, source, target, weight in struct.iter_unpack(
        "<IIId", data[off_features + 12 : off_features + 12 + 20 * count]
    ):
        if kind == 0:  # state feature: attribute -> label
            state.setdefault(attrs[source], [0.0] * num_labels)[target] = weight
        else:  # transition feature: label -> label
            transitions[source][target] = weight
    return labels, state, transitions


def _read_cqdb(data: bytes, offset: int, count: int) -> list[str]:
    """The strings of a CQDB chunk, by id (its backward array points at each record: id, size, key)."""
    if data[offset : offset + 4] != b"CQDB":
        raise ValueError("not a CQDB chunk")
    bwd_size, bwd_offset = struct.unpack_from("<2I", data, offset + 16)
    strings = []
    for record in struct.unpack_from(f"<{min(count, bwd_size)}I", data, offset + bwd_offset):
        _, size = struct.unpack_from("<2I", data, offset + record)
        start = offset + record + 8
        strings.append(data[start : start + size - 1].decode("utf-8"))
    return strings


class Tagger:
    """underthesea's word-segmentation CRF, tagging syllables with sums kept per syllable, pair and triple."""

    def __init__(self, model: Any, labels: list[str], state: dict[str, list[float]], transitions: list[list[float]]):
        self.model = model  # underthesea's FastCRFSequenceTagger: its featurizer describes each new syllable
        begin, inside = labels.index(BEGIN), labels.index(INSIDE)
        # Only the difference between the two labels' scores decides the tags: every sum is I-W's minus B-W's.
        weights = {attr: w[inside] - w[begin] for attr, w in state.items()}
        self.weights = weights
        self.bb, self.bi = transitions[begin][begin], transitions[begin][inside]
        self.ib, self.ii = transitions[inside][begin], transitions[inside][inside]
        get = weights.get
        # A pair's or a triple's weights at every offset, summed over the templates that take its text as value
        # (the raw and the lower-case one: only lower-case clauses come here), then is_in_dict's.
        slots = {f"T[{k},{k + 1}]": (2, i) for i, k in enumerate(BIGRAM_OFFSETS)}
        slots |= {f"T[{k},{k + 1}].lower": (2, i) for i, k in enumerate(BIGRAM_OFFSETS)}
        slots |= {f"T[{k},{k + 2}]": (3, i) for i, k in enumerate(TRIGRAM_OFFSETS)}
        tables: dict[int, dict[str, list[float]]] = {2: {}, 3: {}}
        widths = {2: len(BIGRAM_OFFSETS), 3: len(TRIGRAM_OFFSETS)}  # a table's sums: one per offset
        for attr, weight in weights.items():
            name, _, value = attr.partition("=")
            slot = slots.get(name)
            if slot is not None:
                width, index = slot
                tables[width].setdefault(value, [0.0] * widths[width])
                tables[width][value][index] += weight
        in_dict = {
            (2, flag): [get(f"T[{k},{k + 1}].is_in_dict={flag}", 0.0) for k in BIGRAM_OFFSETS]
            for flag in ("True", "False", "BOS", "EOS")
        }
        in_dict |= {
            (3, flag): [get(f"T[{k},{k + 2}].is_in_dict={flag}", 0.0) for k in TRIGRAM_OFFSETS]
            for flag in ("True", "False", "BOS", "EOS")
        }
        dictionary = _dictionary(model)
        for width in (2, 3):
            table = tables[width]
            for word in dictionary:
                if word.count(" ") == width - 1:
                    table.setdefault(word, [0.0] * widths[width])
            for value, sums in table.items():
                flag = "True" if value in dictionary else "False"
                table[value] = [a + b for a, b in zip(sums, in_dict[width, flag], strict=True)]
        self.pairs = {value: tuple(sums) for value, sums in tables[2].items()}
        self.triples = {value: tuple(sums) for value, sums in tables[3].items()}
        self.pair_default, self.triple_default = tuple(in_dict[2, "False"]), tuple(in_dict[3, "False"])

        # Beyond either end of a clause a template's value is BOS or EOS.
        def edge(names: list[str], end: str) -> float:
            return sum(get(f"{name}={end}", 0.0) for name in names)

        self.unigram_edge = {
            end: tuple(
                edge([f"T[{k}]", f"T[{k}].lower", f"T[{k}].istitle", f"T[{k}].is_in_dict"], end)
                + (edge([f"T[{k}].isdigit"], end) if -1 <= k <= 1 else 0.0)
                for k in UNIGRAM_OFFSETS
            )
            for end in ("BOS", "EOS")
        }
        self.pair_edge = {
            end: tuple(
                edge([f"T[{k},{k + 1}]", f"T[{k},{k + 1}].lower"], end) + in_dict[2, end][i]
                for i, k in enumerate(BIGRAM_OFFSETS)
            )
            for end in ("BOS", "EOS")
        }
        self.triple_edge = {
            end: tuple(edge([f"T[{k},{k + 2}]"], end) + in_dict[3, end][i] for i, k in enumerate(TRIGRAM_OFFSETS))
            for end in ("BOS", "EOS")
        }
        self.title_pair = {flag: get(f"T[0,1].istitle={flag}", 0.0) for flag in ("True", "False", "EOS")}
        self.title_triple = {flag: get(f"T[0,2].istitle={flag}", 0.0) for flag in ("True", "False", "EOS")}
        self.syllables: dict[str, tuple[tuple[float, ...], bool, bool]] = {}

    def _syllable(self, syllable: str) -> tuple[tuple[float, ...], bool, bool]:
        """A syllable's summed weights at offsets -2..2, whether underthesea finds it title-like, and lower case."""
        known = self.syllables.get(syllable)
        if known is not None:
            return known
        features = dict(f.split("=", 1) for f in self.model.featurizer.process([[[syllable]]])[0][0])
        get = self.weights.get
        sums = []
        for k in UNIGRAM_OFFSETS:
            total = get(f"T[{k}]={syllable}", 0.0) + get(f"T[{k}].lower={features['T[0].lower']}", 0.0)
            total += get(f"T[{k}].istitle={features['T[0].istitle']}", 0.0)
            total += get(f"T[{k}].is_in_dict={features['T[0].is_in_dict']}", 0.0)
            if -1 <= k <= 1:
                total += get(f"T[{k}].isdigit={features['T[0].isdigit']}", 0.0)
            sums.append(total)
        if len(self.syllables) >= MEMO_LIMIT:
            self.syllables.clear()
        known = (tuple(sums), features["T[0].istitle"] == "True", features["T[0].lower"] == syllable)
        self.syllables[syllable] = known
        return known

    def tag(self, syllables: Sequence[str]) -> list[bool]:
        """For each syllable of a clause, whether it continues the word before it (underthesea's I-W)."""
        n = len(syllables)
        if n == 0:
            return []
        infos = [self._syllable(s) for s in syllables]
        if not all(info[2] for info in infos):  # not lower case: underthesea's own featurizer and tagger
            features = self.model.featurizer.process([[[s] for s in syllables]])[0]
            return [tag == INSIDE for tag in self.model.estimator.tag(features)]
        bos, eos = "BOS", "EOS"
        unigrams = [self.unigram_edge[bos]] * 2 + [info[0] for info in infos] + [self.unigram_edge[eos]] * 2
        texts = [syllables[i] + " " + syllables[i + 1] for i in range(n - 1)]
        pairs, pair_default = self.pairs, self.pair_default
        pair_sums = [self.pair_edge[bos]] * 2 + [pairs.get(t, pair_default) for t in texts] + [self.pair_edge[eos]] * 2
        triples, triple_default = self.triples, self.triple_default
        triple_sums = (
            [self.triple_edge[bos]] * 2
            + [triples.get(texts[i] + " " + syllables[i + 2], triple_default) for i in range(n - 2)]
            + [self.triple_edge[eos]] * min(n, 2)
        )
        titles = [info[1] for info in infos]
        title_pair, title_triple = self.title_pair, self.title_triple
        scores = []
        for p in range(n):
            u0, u1, u2, u3, u4 = unigrams[p : p + 5]
            b0, b1, b2, b3 = pair_sums[p : p + 4]
            t0, t1, t2 = triple_sums[p : p + 3]
            score = u0[0] + u1[1] + u2[2] + u3[3] + u4[4] + b0[0] + b1[1] + b2[2] + b3[3] + t0[0] + t1[1] + t2[2]
            score += title_pair[str(titles[p] and titles[p + 1])] if p + 1 < n else title_pair[eos]
            score += (
                title_triple[str(titles[p] and titles[p + 1] and titles[p + 2])] if p + 2 < n else title_triple[eos]
            )
            scores.append(score)
        # Viterbi over B-W (score 0) and I-W (score as above); ties go to B-W.
        begin, inside = 0.0, scores[0]
        back: list[tuple[bool, bool]] = []
        bb, bi, ib, ii = self.bb, self.bi, self.ib, self.ii
        for score in scores[1:]:
            to_begin_from_inside = inside + ib > begin + bb
            to_inside_from_inside = inside + ii > begin + bi
            begin, inside = (
                inside + ib if to_begin_from_inside else begin + bb,
                (inside + ii if to_inside_from_inside else begin + bi) + score,
            )
            back.append((to_begin_from_inside, to_inside_from_inside))
        tags = [inside > begin]
        for from_inside in reversed(back):
            tags.append(from_inside[1] if tags[-1] else from_inside[0])
        tags.reverse()
        return tags


def _dictionary(model: Any) -> frozenset[str]:
    """The word list the model's ``is_in_dict`` features look words up in."""
    import joblib

    return frozenset(joblib.load(_model_dir() / model.path_dictionary))


def package_dir() -> Path:
    """underthesea's installed folder, found without importing the package.

    ``import underthesea`` (or any of its submodules) runs the package's ``__init__``, which loads its POS-tagging,
    NER and chunking pipelines: 64 MB in every process, of which word segmentation uses nothing. The model files
    and the stop-word list are read from this folder instead.
    """
    spec = importlib.util.find_spec("underthesea")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("underthesea is not installed")
    return Path(next(iter(spec.submodule_search_locations)))


def _model_dir() -> Path:
    return package_dir() / "pipeline" / "word_tokenize" / "models" / MODEL


@dataclass(frozen=True, eq=False)
class Model:
    """underthesea's word-segmentation CRF as its ``FastCRFSequenceTagger`` holds it: the featurizer that writes a
    clause's feature strings, the CRFsuite tagger, and the names of the files they were loaded from."""

    featurizer: Any
    estimator: Any
    path_model: str = "models.bin"
    path_features: str = "features.bin"
    path_dictionary: str = "dictionary.bin"


@lru_cache(maxsize=1)
def load_model() -> Any:
    """underthesea's word-segmentation model, loaded once per process (about half a second).

    Loaded as ``underthesea.word_tokenize`` loads it (``FastCRFSequenceTagger.load``: ``underthesea_core``'s tagger
    and featurizer over the model's three files), without importing the package (see ``package_dir``). When the
    installed underthesea keeps its model elsewhere, its own ``word_tokenize`` loads it.
    """
    import joblib
    from underthesea_core import CRFFeaturizer, CRFTagger

    directory = _model_dir()
    if all((directory / name).is_file() for name in (Model.path_model, Model.path_features, Model.path_dictionary)):
        estimator = CRFTagger()
        estimator.load(str(directory / Model.path_model))
        featurizer = CRFFeaturizer(
            joblib.load(directory / Model.path_features), joblib.load(directory / Model.path_dictionary)
        )
        return Model(featurizer, estimator)
    import underthesea.pipeline.word_tokenize as underthesea_words

    if underthesea_words.word_tokenize_model is None:
        underthesea_words.word_tokenize("khởi động")  # loads the model shipped inside the package
    return underthesea_words.word_tokenize_model


@lru_cache(maxsize=1)
def tagger(model: Any) -> Tagger | None:
    """The fast tagger for underthesea's loaded model, or ``None`` if the model is not the one expected."""
    import joblib

    directory = _model_dir()
    try:
        if list(joblib.load(directory / model.path_features)) != TEMPLATES:
            return None
        labels, state, transitions = read_crfsuite(directory / model.path_model)
        if sorted(labels) != [BEGIN, INSIDE]:
            return None
    except (OSError, ValueError, struct.error):
        return None
    return Tagger(model, labels, state, transitions)
