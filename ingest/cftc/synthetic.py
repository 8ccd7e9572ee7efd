"""Synthetic Disaggregated COT data in the CFTC's yearly text format, for demos.

The file has the real 191-column header, CRLF line ends, space-padded
numbers, codes with a trailing space and rows newest first, so `read_files`
reads it like a real one. Market names end in `(SYNTHETIC)` and the file
name starts with `synthetic_`.
"""

from __future__ import annotations

import logging
import math
import random
from datetime import date, timedelta
from pathlib import Path

from ingest.cftc.calendar import is_federal_holiday
from ingest.cftc.settings import seeded_markets

log = logging.getLogger(__name__)

_ID_FIELDS = [
    "Market_and_Exchange_Names",
    "As_of_Date_In_Form_YYMMDD",
    "Report_Date_as_YYYY-MM-DD",
    "CFTC_Contract_Market_Code",
    "CFTC_Market_Code",
    "CFTC_Region_Code",
    "CFTC_Commodity_Code",
]
_TAIL_FIELDS = [
    "Contract_Units",
    "CFTC_Contract_Market_Code_Quotes",
    "CFTC_Market_Code_Quotes",
    "CFTC_Commodity_Code_Quotes",
    "CFTC_SubGroup_Code",
    "FutOnly_or_Combined",
]
_SCOPES = ("All", "Old", "Other")
# Trader categories with their sides, in the CFTC's column order.
_CATEGORIES = (
    [("Prod_Merc", "Long"), ("Prod_Merc", "Short")]
    + [("Swap", side) for side in ("Long", "Short", "Spread")]
    + [("M_Money", side) for side in ("Long", "Short", "Spread")]
    + [("Other_Rept", side) for side in ("Long", "Short", "Spread")]
    + [("Tot_Rept", "Long"), ("Tot_Rept", "Short")]
    + [("NonRept", "Long"), ("NonRept", "Short")]
)
# Position keys: pm = producer/merchant, sw = swap dealer, mm = managed
# money, or = other reportable, nr = non-reportable, tr = total reportable,
# with _l long, _s short and _sp spreading. Spreads count on both sides.
_LONG_PARTS = ("pm_l", "sw_l", "sw_sp", "mm_l", "mm_sp", "or_l", "or_sp", "nr_l")
_SHORT_PARTS = ("pm_s", "sw_s", "mm_s", "or_s", "nr_s")
_POSITION_KEYS = (
    "oi", "pm_l", "pm_s", "sw_l", "sw_s", "sw_sp", "mm_l", "mm_s", "mm_sp",
    "or_l", "or_s", "or_sp", "tr_l", "tr_s", "nr_l", "nr_s",
)  # fmt: skip
_TRADER_KEYS = (
    "t_tot", "t_pm_l", "t_pm_s", "t_sw_l", "t_sw_s", "t_sw_sp", "t_mm_l",
    "t_mm_s", "t_mm_sp", "t_or_l", "t_or_s", "t_or_sp", "t_tr_l", "t_tr_s",
)  # fmt: skip
_EXCHANGES = {
    "CHICAGO BOARD OF TRADE": "CBT ",
    "NEW YORK MERCANTILE EXCHANGE": "NYME",
    "ICE FUTURES U.S.": "ICUS",
}


def _positions_fields(scope: str) -> list[str]:
    fields = [f"Open_Interest_{scope}"]
    for group, side in _CATEGORIES:
        # The CFTC spells two swap columns with a double underscore.
        joint = "__" if group == "Swap" and side != "Long" else "_"
        fields.append(f"{group}{joint}Positions_{side}_{scope}")
    return fields


def yearly_header() -> list[str]:
    """Return the 191 column names of the yearly Disaggregated text file."""
    header = list(_ID_FIELDS)
    for scope in _SCOPES:
        header += _positions_fields(scope)
    header.append("Change_in_Open_Interest_All")
    header += [f"Change_in_{group}_{side}_All" for group, side in _CATEGORIES]
    for scope in _SCOPES:
        header.append(f"Pct_of_Open_Interest_{scope}")
        header += [f"Pct_of_OI_{group}_{side}_{scope}" for group, side in _CATEGORIES]
    for scope in _SCOPES:
        header.append(f"Traders_Tot_{scope}")
        header += [
            f"Traders_{group}_{side}_{scope}"
            for group, side in _CATEGORIES
            if group != "NonRept"
        ]
    for scope in _SCOPES:
        for kind in ("Gross", "Net"):
            for size in ("4", "8"):
                header += [
                    f"Conc_{kind}_LE_{size}_TDR_{side}_{scope}"
                    for side in ("Long", "Short")
                ]
    return header + _TAIL_FIELDS


def report_dates(start: date, end: date) -> list[date]:
    """Return weekly report dates: Tuesdays, or Monday when Tuesday is a holiday."""
    first = start + timedelta(days=(1 - start.weekday()) % 7)
    days = []
    tuesday = first
    while tuesday <= end:
        day = tuesday - timedelta(days=1) if is_federal_holiday(tuesday) else tuesday
        if start <= day <= end:
            days.append(day)
        tuesday += timedelta(weeks=1)
    return days


def _walk(rng: random.Random, level: float) -> float:
    return level * math.exp(rng.gauss(0.0, 0.04))


def _positions(levels: dict[str, float]) -> dict[str, int]:
    """Round levels to contracts that obey the report's accounting identities.

    Open interest is the sum of the long side, spreads included. The short
    side shares what the spreads leave in proportion to the short levels,
    with the producer/merchant short taking the rounding rest, so both
    sides sum to open interest.
    """
    contracts = {key: max(1, round(levels[key])) for key in _LONG_PARTS}
    contracts["oi"] = sum(contracts[key] for key in _LONG_PARTS)
    spreads = contracts["sw_sp"] + contracts["mm_sp"] + contracts["or_sp"]
    available = contracts["oi"] - spreads
    weight = sum(levels[key] for key in _SHORT_PARTS)
    for key in _SHORT_PARTS[1:]:
        contracts[key] = int(available * levels[key] / weight)
    contracts["pm_s"] = available - sum(contracts[key] for key in _SHORT_PARTS[1:])
    contracts["tr_l"] = contracts["oi"] - contracts["nr_l"]
    contracts["tr_s"] = contracts["oi"] - contracts["nr_s"]
    return contracts


def _line(fields: list[str]) -> str:
    return ",".join(fields) + "\r\n"


def write_synthetic(folder: Path, start: date, end: date, seed: int) -> list[Path]:
    """Write one synthetic yearly-format file covering `start`..`end`.

    Every seeded market gets a row per weekly report date, with positions
    and trader counts following seeded random walks, so the same arguments
    always give the same bytes.

    Returns:
        A one-element list with the path of the file written.
    """
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"synthetic_fut_disagg_{start:%Y%m%d}_{end:%Y%m%d}.txt"
    rng = random.Random(seed)
    dates = report_dates(start, end)
    rows: list[tuple[date, str]] = []
    for code, name in sorted(seeded_markets().items()):
        size = rng.uniform(50_000, 400_000)
        levels = {key: size * rng.uniform(0.05, 0.3) for key in _LONG_PARTS}
        levels.update({key: size * rng.uniform(0.05, 0.2) for key in _SHORT_PARTS})
        traders = {key: rng.uniform(10, 120) for key in _TRADER_KEYS}
        previous: dict[str, int] | None = None
        for day in dates:
            levels = {key: _walk(rng, value) for key, value in levels.items()}
            traders = {key: _walk(rng, value) for key, value in traders.items()}
            positions = _positions(levels)
            rows.append((day, _record(code, name, day, positions, previous, traders)))
            previous = positions
    rows.sort(key=lambda item: item[0], reverse=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write(_line([f'"{field}"' for field in yearly_header()]))
        for _, text in rows:
            handle.write(text)
    log.info("cftc: wrote %d synthetic rows to %s", len(rows), path)
    return [path]


def _record(
    code: str,
    name: str,
    day: date,
    positions: dict[str, int],
    previous: dict[str, int] | None,
    traders: dict[str, float],
) -> str:
    """Format one CRLF-terminated record in the column order of `yearly_header`."""
    exchange = next(
        (value for key, value in _EXCHANGES.items() if name.endswith(key)), "SYN "
    )
    commodity = f"{code[:3]} "
    fields = [
        f'"{name} (SYNTHETIC)"',
        f"{day:%y%m%d}",
        day.isoformat(),
        code,
        exchange,
        "00",
        commodity,
    ]

    # Old-crop columns repeat the all-crop values and other-crop ones are 0.
    values = [positions[key] for key in _POSITION_KEYS]
    fields += [f"{value:8d}" for value in values * 2 + [0] * 16]

    before = previous or positions
    fields += [f"{positions[key] - before[key]:8d}" for key in _POSITION_KEYS]

    shares = [100.0 * value / positions["oi"] for value in values]
    fields += [f"{share:7.1f}" for share in shares * 2 + [0.0] * 16]

    counts = [max(1, round(traders[key])) for key in _TRADER_KEYS]
    fields += [f"{count:7d}" for count in counts * 2 + [0] * 14]

    concentration = [20.0, 15.0, 30.0, 25.0, 18.0, 12.0, 27.0, 22.0]
    fields += [f"{value:8.1f}" for value in concentration * 2 + [0.0] * 8]

    fields += [
        '"(CONTRACTS, SYNTHETIC)"',
        f'"{code}"',
        f'"{exchange}"',
        f'"{commodity}"',
        '"SYN"',
        '"FutOnly"',
    ]
    return _line(fields)
