"""Tiny BERT classifiers that the sentiment tests build and save locally.

No model can be downloaded in the tests, so each test module builds one:
two attention heads and a feed-forward layer twice the hidden size.
"""

from __future__ import annotations

from pathlib import Path

import torch
from transformers import BertConfig, BertForSequenceClassification, BertTokenizer


def tiny_bert_config(
    vocab_size: int,
    labels: dict[int, str],
    hidden_size: int = 16,
    layers: int = 1,
    max_positions: int = 32,
    initializer_range: float = 0.02,
) -> BertConfig:
    """Return the configuration of a tiny BERT classifier with two attention heads.

    BERT's default initializer range is 0.02. A range of 1.0 makes the
    outputs of a random model differ visibly between texts.
    """
    return BertConfig(
        vocab_size=vocab_size,
        hidden_size=hidden_size,
        num_hidden_layers=layers,
        num_attention_heads=2,
        intermediate_size=2 * hidden_size,
        max_position_embeddings=max_positions,
        initializer_range=initializer_range,
        id2label=labels,
        label2id={label: i for i, label in labels.items()},
    )


def save_random_bert(
    folder: Path,
    tokens: list[str],
    labels: dict[int, str],
    seed: int,
    max_positions: int = 32,
) -> Path:
    """Save a one-layer BERT classifier with seeded random weights and its tokenizer.

    `tokens` is the vocabulary in id order, special tokens first.
    """
    torch.manual_seed(seed)
    config = tiny_bert_config(
        len(tokens), labels, max_positions=max_positions, initializer_range=1.0
    )
    BertForSequenceClassification(config).save_pretrained(folder)
    BertTokenizer(vocab={token: i for i, token in enumerate(tokens)}).save_pretrained(
        folder
    )
    return folder
