#!/usr/bin/env python3
"""Tokenizer files of every family zipfit's token budgets read, and texts to test them on.

Real files where a PyPI package ships one (anthropic 0.34.2's tokenizer.json, a byte-level
BPE); for the other families, tokenizers trained here with Hugging Face's own Python
``tokenizers``, set up as the models that use them are:

    gpt2-byte-level.json      byte-level BPE with GPT-2's split (GPT-2, RoBERTa)
    llama3-byte-level.json    byte-level BPE behind Llama 3's split regex (Llama 3, Qwen)
    llama2-byte-fallback.json BPE with byte fallback, SentencePiece-style (Llama 2, Mistral, Gemma)
    unigram.json              Unigram with Metaspace and NFKC (T5, ALBERT, XLNet)
    wordpiece.json            WordPiece with BERT's normalizer and split (BERT)
    anthropic.json            the real one

    .venv/bin/python tests/reference/tokenizer_files.py OUT_DIR [TEXTS.jsonl ...]

writes them into OUT_DIR, trained on the texts of the JSONL files given (field ``text``)
and on ``multilingual_texts()``.
"""
from __future__ import annotations

import json
import os
import random
import shutil
import sys
from typing import Dict, Iterable, List

from tokenizers import Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, trainers

LLAMA3_SPLIT = (
    r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*"
    r"|\s*[\r\n]+|\s+(?!\S)|\s+"
)


def multilingual_texts(count: int = 400, seed: int = 7) -> List[str]:
    """Texts that stress a tokenizer: CJK, Arabic, Hindi, emoji with modifiers and joiners,
    combining marks, code, long runs of whitespace and digits, mixed line ends."""
    pieces = [
        "東京都の天気は晴れです。", "我们今天去北京大学。", "한국어 문장을 토큰화합니다.",
        "مرحبا بالعالم، كيف حالك؟", "नमस्ते दुनिया, आप कैसे हैं?", "Привет, мир!",
        "👍🏽", "👩‍👩‍👧‍👦", "🏳️‍🌈", "🇯🇵", "😀😃😄", "e\u0301", "a\u0308\u0301", "\u0915\u094d\u0937",
        "def f(x):\n\treturn x ** 2  # square\n", "if (a && b) { return c->d[0]; }",
        "    ", "\t\t\t", "\r\n", "\n\n\n", " " * 37, "0123456789" * 3, "3.14159265358979",
        "1,000,000", "ÅÅÅ", "ﬁ ﬂ ㈱ ①", "ｆｕｌｌｗｉｄｔｈ", "I'm", "WE'LL", "don't", "<|endoftext|>",
        "[CLS]", "\u200b", "\u00a0", "\ufeff", "‮", "x" * 200,
    ]
    rng = random.Random(seed)
    texts = list(pieces)
    for _ in range(count - len(pieces)):
        texts.append("".join(rng.choice(pieces) + rng.choice(["", " ", "\n", "  ", "\t"])
                             for _ in range(rng.randint(1, 12))))
    texts.append("")
    return texts


def jsonl_texts(paths: Iterable[str], field: str = "text") -> List[str]:
    texts = []
    for path in paths:
        with open(path, encoding="utf-8") as f:
            texts += [json.loads(line)[field] for line in f if line.strip()]
    return texts


def anthropic_tokenizer() -> str:
    """The tokenizer.json that anthropic 0.34.2 ships (found without importing it)."""
    import importlib.util
    spec = importlib.util.find_spec("anthropic")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("anthropic==0.34.2 is not installed (crates/python/requirements-dev.txt)")
    return os.path.join(list(spec.submodule_search_locations)[0], "tokenizer.json")


def byte_fallback(tokenizer: Tokenizer) -> Tokenizer:
    """Llama 2's layout: the 256 byte tokens <0x00>..<0xFF> in the vocabulary, byte
    fallback on, and unknown pieces fused."""
    spec = json.loads(tokenizer.to_str())
    vocab: Dict[str, int] = spec["model"]["vocab"]
    for byte in range(256):
        vocab.setdefault(f"<0x{byte:02X}>", len(vocab))
    spec["model"]["byte_fallback"] = True
    spec["model"]["fuse_unk"] = True
    return Tokenizer.from_str(json.dumps(spec))


def train(texts: List[str]) -> Dict[str, Tokenizer]:
    made = {}

    gpt2 = Tokenizer(models.BPE())
    gpt2.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    gpt2.decoder = decoders.ByteLevel()
    gpt2.train_from_iterator(texts, trainers.BpeTrainer(
        show_progress=False,
        vocab_size=4000, special_tokens=["<|endoftext|>"],
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet()))
    made["gpt2-byte-level.json"] = gpt2

    llama3 = Tokenizer(models.BPE(ignore_merges=True))
    llama3.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.Split(Regex(LLAMA3_SPLIT), behavior="isolated", invert=False),
        pre_tokenizers.ByteLevel(add_prefix_space=False, trim_offsets=True, use_regex=False),
    ])
    llama3.decoder = decoders.ByteLevel()
    llama3.train_from_iterator(texts, trainers.BpeTrainer(
        show_progress=False,
        vocab_size=4000, special_tokens=["<|begin_of_text|>", "<|end_of_text|>"],
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet()))
    made["llama3-byte-level.json"] = llama3

    llama2 = Tokenizer(models.BPE(unk_token="<unk>"))
    llama2.normalizer = normalizers.Sequence([normalizers.Prepend("▁"), normalizers.Replace(" ", "▁")])
    llama2.decoder = decoders.Sequence([
        decoders.Replace("▁", " "), decoders.ByteFallback(), decoders.Fuse(), decoders.Strip(" ", 1, 0)])
    llama2.train_from_iterator(texts, trainers.BpeTrainer(
        show_progress=False,
        vocab_size=3000, special_tokens=["<unk>", "<s>", "</s>"], limit_alphabet=150))
    made["llama2-byte-fallback.json"] = byte_fallback(llama2)

    unigram = Tokenizer(models.Unigram())
    unigram.normalizer = normalizers.NFKC()
    unigram.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always")
    unigram.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always")
    # Unigram's trainer is slow: a smaller sample and vocabulary keep it to seconds.
    unigram.train_from_iterator(texts[-700:], trainers.UnigramTrainer(
        show_progress=False,
        vocab_size=2000, max_piece_length=8, special_tokens=["<pad>", "</s>", "<unk>"], unk_token="<unk>"))
    made["unigram.json"] = unigram

    wordpiece = Tokenizer(models.WordPiece(unk_token="[UNK]"))
    wordpiece.normalizer = normalizers.BertNormalizer(lowercase=True)
    wordpiece.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    wordpiece.decoder = decoders.WordPiece()
    wordpiece.train_from_iterator(texts, trainers.WordPieceTrainer(
        show_progress=False,
        vocab_size=3000, special_tokens=["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]))
    made["wordpiece.json"] = wordpiece
    return made


def write_all(out: str, training: List[str]) -> List[str]:
    """Writes every tokenizer file into `out`; returns their paths."""
    os.makedirs(out, exist_ok=True)
    paths = []
    # A sample is enough to learn a few thousand tokens, and keeps training to seconds.
    sample = [text[:2000] for text in training[:1500]]
    for name, tokenizer in train(sample + multilingual_texts()).items():
        path = os.path.join(out, name)
        tokenizer.save(path)
        paths.append(path)
    real = os.path.join(out, "anthropic.json")
    shutil.copyfile(anthropic_tokenizer(), real)
    paths.append(real)
    return paths


if __name__ == "__main__":
    if len(sys.argv) < 2:
        raise SystemExit(__doc__)
    for written in write_all(sys.argv[1], jsonl_texts(sys.argv[2:])):
        print(written)
