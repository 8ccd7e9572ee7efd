"""FinBERT (or any BERT-style sequence classifier) through transformers and torch.

Texts longer than the model's token limit are split into consecutive chunks
of at most that many tokens. A text's probabilities are the mean of its
chunks' probabilities weighted by each chunk's count of non-special tokens,
and the score is flagged `truncated`. Chunks are padded per batch with an
attention mask, so a text scores the same alone or in any batch (up to
float rounding, about 1e-7).

Speed on CPU comes from scoring each distinct text once per call,
tokenizing all texts in one call to the fast tokenizer, and running chunks
in batches sorted by token count, each padded only to its longest chunk and
capped at `MAX_BATCH_TOKENS` padded tokens, under `torch.inference_mode`.

Two other precisions are opt-in, and each caches its scores under a scorer
name of its own because it can change labels:

- `"bfloat16"` runs the forward pass under bfloat16 autocast.
- `"int8"` replaces the encoder's Linear layers with dynamically quantized
  ones (`torch.ao.quantization.quantize_dynamic`): weights are stored as
  int8 with one scale per layer, each batch's activations are quantized on
  the fly, and the matrix products run in int8 with int32 accumulation.
  Attention scores, softmax, GELU, layer norm and the classification head
  stay float32. It runs on the CPU only.

torch and transformers are imported only when a scorer is built, so
importing this package stays cheap.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import threading
import warnings
from pathlib import Path
from typing import Any

from ingest.sentiment.base import (
    ScorerUnavailableError,
    SentimentScore,
    from_probabilities,
    unscored,
)

log = logging.getLogger(__name__)

REQUIRED_LABELS = frozenset({"positive", "negative", "neutral"})

# Forward-pass precisions; float32 is the model's own.
# NOTE: on 2 shared AVX512-BF16 CPUs without AMX, bfloat16 autocast ran
# within noise of float32 (benchmarks/sentiment_pipeline.py). Where it pays
# off (AMX CPUs, GPUs) has not been measured for this project.
PRECISIONS = ("float32", "bfloat16", "int8")

# Max padded tokens per forward pass (sequences times the longest one),
# because a batch of many long chunks padded to its longest one wastes work.
# On the 80 texts of benchmarks/sentiment_pipeline.py, a cap of 512 or 1024
# cut int8 CPU time by about 30 % against 32 sequences per batch alone
# (1 torch thread, 2-core AMD EPYC).
MAX_BATCH_TOKENS = 1024

# Files that decide a local model's output, hashed into its revision.
_REVISION_SUFFIXES = (".json", ".txt", ".model", ".safetensors", ".bin")


def _folder_digest(folder: Path) -> str:
    """Hash the config, tokenizer and weights files of a local model folder."""
    digest = hashlib.sha256()
    for path in sorted(folder.iterdir()):
        if not path.is_file() or not path.name.endswith(_REVISION_SUFFIXES):
            continue
        digest.update(path.name.encode("utf-8") + b"\0")
        with path.open("rb") as handle:
            while block := handle.read(1 << 20):
                digest.update(block)
    return digest.hexdigest()


def model_revision(model_id: str, local_only: bool) -> str:
    """Return a short revision id of the model that `model_id` resolves to.

    A model from the Hugging Face cache is identified by its commit (the
    snapshot folder's name). A local folder is identified by a sha256 of its
    config, tokenizer and weights files.
    """
    from transformers.utils import cached_file

    config_file = cached_file(model_id, "config.json", local_files_only=local_only)
    if config_file is None:
        raise OSError(f"config.json not found for model {model_id!r}")
    folder = Path(config_file).parent
    if folder.parent.name == "snapshots":
        return folder.name[:12]
    return _folder_digest(folder)[:12]


class FinbertScorer:
    """Sequence-classification model scorer, named `finbert:<model>@<revision>`.

    With a precision other than float32 the name ends in `+<precision>`
    (`+bfloat16`, `+int8`), so its scores never mix with float32 scores in
    the cache.

    Attributes:
        labels: lower-cased class names in the model's output order.
        max_length: tokens per chunk, special tokens included.
        texts_scored: distinct non-empty texts scored so far.
        forward_calls: forward passes run so far.
    """

    def __init__(
        self,
        model_id: str,
        batch_size: int,
        allow_download: bool,
        precision: str = "float32",
    ) -> None:
        """Load the tokenizer and model.

        Raises:
            ValueError: `precision` is not one of `PRECISIONS`.
            ScorerUnavailableError: the weights are missing or unusable, the
                model's labels lack positive, negative or neutral, or this
                torch build cannot quantize the model to int8.
        """
        if precision not in PRECISIONS:
            raise ValueError(
                f"invalid precision {precision!r}; expected one of "
                f"{', '.join(PRECISIONS)}"
            )
        import torch
        from transformers import AutoModelForSequenceClassification, AutoTokenizer
        from transformers.utils import logging as hf_logging

        local_only = not allow_download
        bar_was_enabled = hf_logging.is_progress_bar_enabled()
        hf_logging.disable_progress_bar()
        try:
            revision = model_revision(model_id, local_only)
            tokenizer = AutoTokenizer.from_pretrained(
                model_id, local_files_only=local_only
            )
            model = AutoModelForSequenceClassification.from_pretrained(
                model_id, local_files_only=local_only
            )
        except (OSError, ValueError) as exc:
            where = "locally" if local_only else "locally or from the Hugging Face Hub"
            reason = " ".join(str(exc).split())
            raise ScorerUnavailableError(
                f"could not load sentiment model {model_id!r} {where}: {reason}"
            ) from exc
        finally:
            if bar_was_enabled:
                hf_logging.enable_progress_bar()

        if not getattr(tokenizer, "is_fast", False):
            raise ScorerUnavailableError(
                f"model {model_id!r} has no fast tokenizer, which chunking needs"
            )
        id2label = model.config.id2label
        self.labels = [str(id2label[i]).lower() for i in range(len(id2label))]
        missing = REQUIRED_LABELS - set(self.labels)
        if missing:
            raise ScorerUnavailableError(
                f"model {model_id!r} labels {self.labels} lack {sorted(missing)}"
            )

        # NOTE: the tests run on CPU only, so the CUDA branch is unexercised there.
        # Dynamically quantized Linear layers have CPU kernels only.
        use_cuda = torch.cuda.is_available() and precision != "int8"
        self.device = torch.device("cuda" if use_cuda else "cpu")
        model = model.to(self.device).eval()
        if precision == "int8":
            model = _quantize_int8(model, model_id)
        self.model = model
        self.tokenizer = tokenizer
        self.max_length = _max_length(tokenizer, model.config)
        self.batch_size = batch_size
        self.precision = precision
        suffix = "" if precision == "float32" else f"+{precision}"
        self.name = f"finbert:{model_id}@{revision}{suffix}"
        self.texts_scored = 0
        self.forward_calls = 0
        self._lock = threading.Lock()
        log.info(
            "loaded sentiment model %s on %s (%d tokens per chunk, labels %s)",
            self.name,
            self.device,
            self.max_length,
            self.labels,
        )

    def score(self, texts: list[str]) -> list[SentimentScore]:
        """Score `texts` in order; each distinct non-empty text runs once."""
        unique = list(dict.fromkeys(text for text in texts if text.strip()))
        with self._lock:
            results = self._score_unique(unique) if unique else {}
            self.texts_scored += len(unique)
        out = []
        for text in texts:
            if text in results:
                probabilities, truncated = results[text]
                out.append(
                    from_probabilities(text, probabilities, truncated, self.name)
                )
            else:
                out.append(unscored(text, self.name))
        return out

    def _autocast(self) -> contextlib.AbstractContextManager[Any]:
        import torch

        if self.precision == "bfloat16":
            return torch.autocast(self.device.type, dtype=torch.bfloat16)
        return contextlib.nullcontext()

    def _score_unique(
        self, texts: list[str]
    ) -> dict[str, tuple[dict[str, float], bool]]:
        import torch

        encoded = self.tokenizer(
            texts,
            truncation=True,
            max_length=self.max_length,
            stride=0,
            return_overflowing_tokens=True,
            return_special_tokens_mask=True,
        )
        owners: list[int] = encoded["overflow_to_sample_mapping"]
        input_names = [n for n in self.tokenizer.model_input_names if n in encoded]
        weights = [
            max(sum(mask) - sum(special), 1)
            for mask, special in zip(
                encoded["attention_mask"], encoded["special_tokens_mask"], strict=True
            )
        ]

        lengths = [len(ids) for ids in encoded["input_ids"]]
        sums = torch.zeros((len(texts), len(self.labels)), dtype=torch.float64)
        totals = torch.zeros(len(texts), dtype=torch.float64)
        chunk_counts = [0] * len(texts)
        with torch.inference_mode(), self._autocast():
            for rows in length_batches(lengths, self.batch_size, MAX_BATCH_TOKENS):
                features = {
                    name: [encoded[name][i] for i in rows] for name in input_names
                }
                batch = self.tokenizer.pad(features, return_tensors="pt")
                batch = {name: tensor.to(self.device) for name, tensor in batch.items()}
                logits = self.model(**batch).logits
                self.forward_calls += 1
                probabilities = logits.float().softmax(dim=-1).cpu().double()
                for row, chunk in enumerate(rows):
                    owner = owners[chunk]
                    sums[owner] += weights[chunk] * probabilities[row]
                    totals[owner] += weights[chunk]
                    chunk_counts[owner] += 1

        means = (sums / totals.unsqueeze(1)).tolist()
        return {
            text: (
                dict(zip(self.labels, means[i], strict=True)),
                chunk_counts[i] > 1,
            )
            for i, text in enumerate(texts)
        }


def length_batches(
    lengths: list[int], batch_size: int, max_tokens: int
) -> list[list[int]]:
    """Group sequence indices into batches of similar length, shortest first.

    A batch has at most `batch_size` sequences, and its padded size (count
    times its longest length) stays within `max_tokens` unless a single
    sequence is longer.
    """
    order = sorted(range(len(lengths)), key=lambda i: lengths[i])
    batches: list[list[int]] = []
    current: list[int] = []
    for index in order:
        padded = (len(current) + 1) * lengths[index]
        if current and (len(current) == batch_size or padded > max_tokens):
            batches.append(current)
            current = []
        current.append(index)
    if current:
        batches.append(current)
    return batches


def _quantize_int8(model: Any, model_id: str) -> Any:
    """Replace the base model's Linear layers with int8 ones, in place.

    The classification head stays float32 because it is one small matrix
    product per chunk, and exact logits there keep labels closer to float32's.

    Raises:
        ScorerUnavailableError: torch has no dynamic quantization kernels for
            this model.
    """
    import torch

    prefix = f"{getattr(model, 'base_model_prefix', '')}."
    layers = {
        name
        for name, module in model.named_modules()
        if isinstance(module, torch.nn.Linear) and name.startswith(prefix)
    }
    if not layers:
        raise ScorerUnavailableError(
            f"model {model_id!r} has no Linear layers under {prefix!r} to "
            "quantize. Use precision float32 instead"
        )
    try:
        # torch 2.13 marks torch.ao.quantization as deprecated in favour of
        # torchao, which this project does not install. Its two warnings are
        # silenced around this call only, so a run with -W error still loads
        # the model. catch_warnings swaps the process-wide filters, so another
        # thread warning meanwhile may be filtered too.
        with warnings.catch_warnings():
            warnings.filterwarnings(
                "ignore",
                message=r"torch\.ao\.quantization is deprecated",
                category=DeprecationWarning,
            )
            warnings.filterwarnings(
                "ignore",
                message=r"torch\.quantize_per_tensor, torch\.quantize_per_channel",
                category=UserWarning,
            )
            return torch.ao.quantization.quantize_dynamic(
                model, layers, dtype=torch.qint8, inplace=True
            )
    except (AttributeError, ImportError, RuntimeError) as exc:
        raise ScorerUnavailableError(
            f"could not quantize model {model_id!r} to int8 with torch "
            f"{torch.__version__}: {exc}. Use precision float32 instead"
        ) from exc


def _max_length(tokenizer: Any, config: Any) -> int:
    """Return the tokens a model accepts per sequence.

    Tokenizers without a configured limit report a huge `model_max_length`,
    so the model's position table bounds it too.
    """
    # NOTE: RoBERTa-style models reserve position ids for padding, so their
    # usable length is below max_position_embeddings; their tokenizer config
    # normally sets model_max_length, which then decides.
    limits = [int(tokenizer.model_max_length)]
    positions = getattr(config, "max_position_embeddings", None)
    if positions:
        limits.append(int(positions))
    return min(limits)
