"""slovnet's CNN taggers (natasha's morph and NER models) run over a whole batch at once.

slovnet's numpy inference spends two thirds of its time in Python per token and per step
(a record per token, the word shape recomputed for every token, a reshape per step, padded
batches of 8 sentences, the CRF's backtracking token by token). Here the weights are the
same, read from the loaded slovnet model, and the work is arrays over a chunk of sentences:

- a word's (word id, shape id) is computed once and cached (a bounded dict);
- the sentences of a chunk are one flat sequence with a zero row between them, so each
  convolution is one matrix product over the chunk and nothing is padded; zeroing the
  separator rows after every layer is exactly what slovnet's padding mask does;
- the first convolution, the largest, is linear in its input: each distinct word of the
  chunk is multiplied by the kernel's three columns once, and each position adds up the
  products of its window (a chunk of news has under half as many distinct words as tokens);
- the CRF's Viterbi runs over positions, vectorized over sentences and tags, and so does
  its backtracking.

The elementwise steps are slovnet's in slovnet's order; the sums of products are grouped
differently, so the scores are slovnet's up to float rounding (within 4e-5 on news).
tests/test_fasttag.py checks the tags against slovnet's (no token of 400k in the eval
corpora differs) and the Viterbi exactly.
"""
from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np
from slovnet.shape import word_shape

CHUNK_TOKENS = 1024  # tokens per chunk: amortizes the Python steps, its products stay in cache
DECODE_TOKENS = 32_768  # tokens per Viterbi call (bounds its arrays)
CACHE_WORDS = 50_000  # cached word features; the cache is emptied when full (bounded memory)
SHAPE_BITS = 7  # a word's features packed in one int: word id << 7 | shape id


class Features:
    """Word id and shape id of a word as slovnet's `WordShapeEncoder.item` makes them."""

    def __init__(self, words: dict[str, int], unk_id: int, shapes: dict[str, int]):
        if len(shapes) > 1 << SHAPE_BITS:
            raise ValueError(f"{len(shapes)} shapes do not fit in {SHAPE_BITS} bits")
        self.words, self.unk_id, self.shapes = words, unk_id, shapes
        self.cache: dict[str, int] = {}

    def packed(self, word: str) -> int:
        code = self.cache.get(word)
        if code is None:
            if len(self.cache) >= CACHE_WORDS:
                self.cache.clear()
            word_id = self.words.get(word.lower(), self.unk_id)
            code = self.cache[word] = word_id << SHAPE_BITS | self.shapes[word_shape(word)]
        return code


@dataclass
class Layer:
    """Conv1d (kernel 3, padding 1), ReLU, BatchNorm1d: one `CNNEncoderLayer`."""

    weight_t: np.ndarray  # (in * kernel, filters), slovnet's `weight.reshape(filters, -1).T`
    bias: np.ndarray
    mean: np.ndarray
    std: np.ndarray
    scale: np.ndarray
    shift: np.ndarray


@dataclass
class FastTagger:
    features: Features
    word_pad: int
    shape_pad: int
    indexes: np.ndarray  # navec: word id -> one code per subvector
    pieces: np.ndarray  # navec: (subvector * codes, piece) rows; row q * codes + code
    shape_emb: np.ndarray
    first: np.ndarray  # the first layer's weight as (in, kernel * filters): kernel-major columns
    layers: list[Layer]
    proj_w: np.ndarray
    proj_b: np.ndarray
    transitions: np.ndarray | None  # the CRF's, for NER; None: argmax per token (morph)
    tags: list[str]

    @classmethod
    def of(cls, infer, features: Features | None = None) -> FastTagger:
        """The tagger of a loaded slovnet `MorphInfer` or `NERInfer` (weights shared, not copied).

        `features` may be another tagger's when the vocabularies are the same (natasha's are)."""
        model, encoder = infer.model, infer.encoder
        words, shapes = encoder.words_vocab, encoder.shapes_vocab
        if features is None or (features.words, features.unk_id, features.shapes) != (
                words.item_ids, words.unk_id, shapes.item_ids):
            features = Features(words.item_ids, words.unk_id, shapes.item_ids)
        layers = []
        for layer in model.encoder.layers:
            conv, norm = layer.conv, layer.norm
            filters, _, kernel = conv.weight.shape
            if kernel != 3 or conv.padding != 1:
                raise ValueError(f"expected convolutions of kernel 3, padding 1: {kernel}, {conv.padding}")
            layers.append(Layer(conv.weight.array.reshape(filters, -1).T, conv.bias.array,
                                norm.mean.array, norm.std.array, norm.weight.array, norm.bias.array))
        weight = model.encoder.layers[0].conv.weight.array  # filters x in x kernel
        first = np.ascontiguousarray(weight.transpose(1, 2, 0).reshape(weight.shape[1], -1))
        crf = getattr(model.head, "crf", None)
        tagger = cls(
            features, words.pad_id, shapes.pad_id, model.emb.word.indexes.array,
            model.emb.word.codes.array.reshape(-1, model.emb.word.codes.array.shape[-1]),
            model.emb.shape.weight.array, first, layers, model.head.proj.weight.array, model.head.proj.bias.array,
            None if crf is None else crf.transitions.array, list(infer.decoder.tags_vocab.items))
        if tagger.embed(np.array([tagger.pad_code()])).any():
            raise ValueError("the padding embeddings are not zero: the separator rows would differ from slovnet's padding")
        return tagger

    def pad_code(self) -> int:
        return self.word_pad << SHAPE_BITS | self.shape_pad

    def embed(self, packed: np.ndarray) -> np.ndarray:
        """`WordShapeEmbedding`: the navec vector (product-quantized) and the shape vector."""
        word_ids, shape_ids = packed >> SHAPE_BITS, packed & ((1 << SHAPE_BITS) - 1)
        qdims = self.indexes.shape[1]
        rows = self.indexes[word_ids] + np.arange(0, len(self.pieces), len(self.pieces) // qdims)
        word = self.pieces.take(rows, axis=0).reshape(len(packed), -1)  # a row gather: 4x numpy's 2-d indexing
        return np.concatenate((word, self.shape_emb[shape_ids]), axis=-1)

    def emissions(self, sents: Sequence[Sequence[str]]) -> np.ndarray:
        """The head's scores of every token of `sents`, one row per token, in order."""
        packed = self.features.packed
        pad = self.pad_code()
        flat = [pad]
        for words in sents:
            flat.extend(map(packed, words))
            flat.append(pad)
        codes = np.array(flat, dtype=np.int64)
        # Only separators have the pad code: a word has a shape. (slovnet would also mask a
        # word "<pad>", which razdel never gives: it splits `<`, `pad`, `>`.)
        separators = codes == pad
        rows = len(codes)
        # The first layer: each distinct word of the chunk (half the tokens or fewer) times
        # the kernel's three columns, then each position sums its window's three products.
        distinct, which = np.unique(codes, return_inverse=True)
        which = which.reshape(-1) * 3
        products = np.matmul(self.embed(distinct), self.first).reshape(len(distinct) * 3, -1)
        x = np.empty((rows, products.shape[1]), dtype=products.dtype)
        inner = x[1:-1]
        products.take(which[:-2], axis=0, out=inner)
        inner += products.take(which[1:-1] + 1, axis=0)
        inner += products.take(which[2:] + 2, axis=0)
        self.activate(x, self.layers[0], separators)
        for layer in self.layers[1:]:
            # rows (t-1, t, t+1) of each inner row, channel-major as slovnet's windows are
            windows = np.empty((rows - 2, x.shape[1], 3), dtype=x.dtype)
            for k in range(3):
                windows[:, :, k] = x[k:rows - 2 + k]
            out = np.empty((rows, layer.bias.shape[0]), dtype=x.dtype)
            inner = out[1:-1]
            np.matmul(windows.reshape(rows - 2, -1), layer.weight_t, out=inner)
            x = self.activate(out, layer, separators)
        return np.matmul(x[~separators], self.proj_w) + self.proj_b

    @staticmethod
    def activate(out: np.ndarray, layer: Layer, separators: np.ndarray) -> np.ndarray:
        """Bias, ReLU, batch norm in slovnet's order, then the pad mask, in place."""
        inner = out[1:-1]
        inner += layer.bias
        np.maximum(inner, 0, out=inner)
        inner -= layer.mean
        inner /= layer.std
        inner *= layer.scale
        inner += layer.shift
        out[separators] = 0  # slovnet's pad mask; also the first and last rows
        return out

    def tag_ids(self, sents: Sequence[Sequence[str]]) -> list[np.ndarray]:
        """The tag id of every token, one array per sentence. The scores are made a chunk
        at a time; the CRF decodes many sentences at once, as its Python loop runs once per
        position of the longest, whatever their number: sentences of like lengths, so that
        the padded arrays stay within DECODE_TOKENS rows."""
        if self.transitions is None:
            found: list[np.ndarray] = []
            for chunk in chunks(sents):
                lengths = np.cumsum([len(words) for words in chunk])
                found.extend(np.split(self.emissions(chunk).argmax(-1), lengths[:-1]))
            return found
        paths: list[np.ndarray] = [np.zeros(0, dtype=np.int16)] * len(sents)
        for group in padded_groups([len(words) for words in sents], DECODE_TOKENS):
            group_sents = [sents[i] for i in group]
            scores = np.concatenate([self.emissions(chunk) for chunk in chunks(group_sents)])
            for i, path in zip(group, viterbi(scores, [len(sents[i]) for i in group], self.transitions)):
                paths[i] = path
        return paths


def chunks(sents: Sequence[Sequence[str]], size: int = CHUNK_TOKENS) -> Iterator[Sequence[Sequence[str]]]:
    """Consecutive sentences up to `size` tokens (a longer sentence alone)."""
    start, tokens = 0, 0
    for end, words in enumerate(sents):
        if tokens and tokens + len(words) > size:
            yield sents[start:end]
            start, tokens = end, 0
        tokens += len(words)
    if start < len(sents):
        yield sents[start:]


def padded_groups(lengths: list[int], size: int) -> Iterator[list[int]]:
    """Indexes of sentences by increasing length, grouped so that a group's count times its
    longest stays within `size` (a longer sentence alone)."""
    group: list[int] = []
    for i in sorted(range(len(lengths)), key=lengths.__getitem__):
        if group and (len(group) + 1) * lengths[i] > size:
            yield group
            group = []
        group.append(i)
    if group:
        yield group


def viterbi(scores: np.ndarray, lengths: list[int], transitions: np.ndarray) -> list[np.ndarray]:
    """slovnet's `CRF.decode` over sentences of `lengths` tokens (`scores` one row per token).

    The same sums in the same order, and argmax's first-of-equals, as slovnet; the
    backtracking is vectorized over the sentences too."""
    count, longest, tags = len(lengths), max(lengths, default=0), scores.shape[1]
    if longest == 0:
        return [np.zeros(0, dtype=np.int64) for _ in lengths]
    sizes = np.array(lengths)
    padded = np.zeros((count, longest, tags), dtype=scores.dtype)
    padded[np.arange(longest) < sizes[:, None]] = scores
    padded = padded.swapaxes(0, 1)  # position x sentence x tag
    history = np.zeros((longest, count, tags), dtype=np.int16)  # history[i]: best previous tag at i
    score = padded[0]
    for i in range(1, longest):
        step = score[:, :, None] + transitions + padded[i][:, None, :]
        came = step.argmax(-2)
        history[i] = came
        score = np.where((i < sizes)[:, None], step.max(-2), score)  # the values at `came`
    best = score.argmax(-1)
    path = np.zeros((count, longest), dtype=np.int64)
    rows = np.arange(count)
    last = np.maximum(sizes - 1, 0)
    path[rows, last] = best
    for i in range(longest - 1, 0, -1):
        inside = i < sizes
        best = np.where(inside, history[i][rows, best], best)
        path[inside, i - 1] = best[inside]
    return [path[k, :size] for k, size in enumerate(lengths)]
