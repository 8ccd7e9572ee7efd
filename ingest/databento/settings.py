"""Constants of the Databento loader and the seed of requested symbols."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from ingest.settings import SEEDS_DIR

SOURCE_NAME = "databento"
DATASET = "GLBX.MDP3"
API_KEY_ENV = "DATABENTO_API_KEY"
GATEWAY_ENV = "ZL_DATABENTO_GATEWAY"
SYMBOLS_SEED = SEEDS_DIR / "databento_symbols.csv"

SCHEMA_OHLCV_1D = "ohlcv-1d"
SCHEMA_STATISTICS = "statistics"
SCHEMA_DEFINITION = "definition"
# Definitions first, so instrument ids of the other schemas resolve to contracts.
API_SCHEMAS = (SCHEMA_DEFINITION, SCHEMA_OHLCV_1D, SCHEMA_STATISTICS)
STYPE_CONTINUOUS = "continuous"

# Days requested when the window has no start.
DEFAULT_LOOKBACK_DAYS = 30

# DBN fixed-point prices are integers in units of 1e-9.
FIXED_PRICE_SCALE = 1_000_000_000

# Sentinels that mean "undefined" in DBN fields (databento_dbn 0.70 constants
# UNDEF_PRICE, UNDEF_STAT_QUANTITY and UNDEF_TIMESTAMP, plus the maximum of
# each narrower unsigned or signed field).
INT64_MAX = 2**63 - 1
INT32_MAX = 2**31 - 1
UINT64_MAX = 2**64 - 1
UINT16_MAX = 2**16 - 1
UINT8_MAX = 2**8 - 1

# CME month codes, January to December.
MONTH_CODES = "FGHJKMNQUVXZ"

_RULE = re.compile(r"^[cvn]\.\d+$")
_TRUE = {"true", "yes", "1", "y"}
_FALSE = {"false", "no", "0", "n", ""}


@dataclass(frozen=True)
class RootSymbols:
    """One futures root and the continuous symbols requested for it."""

    root: str
    exchange: str
    description: str
    rules: tuple[str, ...]
    enabled: bool

    @property
    def symbols(self) -> list[str]:
        """Return the continuous symbols, e.g. `ZL.c.0` for rule `c.0`."""
        return [f"{self.root}.{rule}" for rule in self.rules]


def load_roots(
    path: Path = SYMBOLS_SEED, enabled_only: bool = True
) -> list[RootSymbols]:
    """Read the seed of futures roots and their continuous-contract rules.

    Args:
        path: a CSV with columns root, exchange, description,
            continuous_rules (space separated, e.g. `c.0 v.0`) and enabled.
        enabled_only: drop rows whose `enabled` is false.

    Raises:
        ValueError: a column is missing, a rule is not `c.N`, `v.N` or `n.N`,
            or `enabled` is not a boolean word.
    """
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        expected = {"root", "exchange", "description", "continuous_rules", "enabled"}
        missing = sorted(expected - set(reader.fieldnames or []))
        if missing:
            raise ValueError(f"{path}: missing columns {missing}")
        roots = [_parse_row(path, line, row) for line, row in enumerate(reader, 2)]
    return [r for r in roots if r.enabled or not enabled_only]


def _parse_row(path: Path, line: int, row: dict[str, str]) -> RootSymbols:
    root = row["root"].strip().upper()
    if not root.isalnum():
        raise ValueError(f"{path}:{line}: invalid root {row['root']!r}")
    rules = tuple(row["continuous_rules"].split())
    bad = [rule for rule in rules if not _RULE.match(rule)]
    if bad or not rules:
        raise ValueError(
            f"{path}:{line}: invalid continuous_rules {row['continuous_rules']!r}; "
            "use space-separated rules such as 'c.0 v.0'"
        )
    flag = row["enabled"].strip().lower()
    if flag not in _TRUE | _FALSE:
        raise ValueError(f"{path}:{line}: enabled must be true or false, not {flag!r}")
    return RootSymbols(
        root=root,
        exchange=row["exchange"].strip(),
        description=row["description"].strip(),
        rules=rules,
        enabled=flag in _TRUE,
    )
