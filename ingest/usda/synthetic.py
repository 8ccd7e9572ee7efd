"""Synthetic USDA files for demos: Quick Stats JSON, WASDE CSVs, FAS JSON.

The Quick Stats file has the real `{"data": [...]}` layout with every field
a string, thousands commas and a few `(D)` codes, plus a top-level
`_comment` that labels it synthetic. Each WASDE file has the OCE's quoted
16-column layout, one file per report month. The FAS files are JSON lists
of ESR and PSD records, whose format has no room for a label. Every file
name starts with `synthetic_`. The figures are seeded random walks, not
USDA data.
"""

from __future__ import annotations

import csv
import json
import logging
import random
from datetime import date, timedelta
from pathlib import Path

from ingest.usda.settings import WASDE_FILE_TEMPLATE

log = logging.getLogger(__name__)

_MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN",
           "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")  # fmt: skip
_MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July",
                "August", "September", "October", "November", "December")  # fmt: skip
_WASDE_HEADER = (
    "WasdeNumber", "ReportDate", "ReportTitle", "Attribute",
    "ReliabilityProjection", "Commodity", "Region", "MarketYear", "ProjEstFlag",
    "AnnualQuarterFlag", "Value", "Unit", "ReleaseDate", "ReleaseTime",
    "ForecastYear", "ForecastMonth",
)  # fmt: skip
_WORLD_OIL_REGIONS = {"United States": 11.0, "Brazil": 9.0, "Argentina": 8.0,
                      "World": 60.0}  # fmt: skip
# Monthly Fats & Oils statistics: short_desc, statistic, unit, base level.
_MONTHLY = (
    ("SOYBEANS - CRUSHED, MEASURED IN TONS", "SOYBEANS", "", "CRUSHED",
     "TONS", 5_000_000.0),
    ("OIL, SOYBEAN, CRUDE - PRODUCTION, MEASURED IN LB", "OIL", "SOYBEAN",
     "PRODUCTION", "LB", 2_000_000_000.0),
    ("OIL, SOYBEAN, CRUDE - STOCKS, MEASURED IN LB", "OIL", "SOYBEAN", "STOCKS",
     "LB", 1_800_000_000.0),
)  # fmt: skip


def write_synthetic(folder: Path, start: date, end: date, seed: int) -> list[Path]:
    """Write a Quick Stats JSON, a WASDE CSV per month and FAS JSON files.

    Returns:
        The paths written, Quick Stats first.
    """
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    nass_path = folder / "synthetic_quickstats_soybean_complex.json"
    body = {
        "_comment": "SYNTHETIC DATA written by `zl demo`, not NASS figures",
        "data": _nass_records(rng, start, end),
    }
    nass_path.write_text(json.dumps(body), encoding="utf-8")
    paths = [nass_path]
    paths += _write_wasde(folder, rng, start, end)
    paths += _write_fas(folder, rng, start, end)
    log.info("usda: wrote %d synthetic files into %s", len(paths), folder)
    return paths


def _month_starts(start: date, end: date) -> list[date]:
    months = []
    current = date(start.year, start.month, 1)
    while current <= end:
        months.append(current)
        current = (current + timedelta(days=32)).replace(day=1)
    return months


def _next_weekday(day: date) -> date:
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def _record(**fields: str) -> dict[str, str]:
    record = {
        "source_desc": "SURVEY", "sector_desc": "CROPS",
        "group_desc": "FIELD CROPS", "commodity_desc": "SOYBEANS",
        "class_desc": "ALL CLASSES", "prodn_practice_desc": "ALL PRODUCTION PRACTICES",
        "util_practice_desc": "ALL UTILIZATION PRACTICES", "statisticcat_desc": "",
        "unit_desc": "", "short_desc": "", "domain_desc": "TOTAL",
        "domaincat_desc": "NOT SPECIFIED", "agg_level_desc": "NATIONAL",
        "state_ansi": "", "state_fips_code": "99", "state_alpha": "US",
        "state_name": "US TOTAL", "asd_code": "", "asd_desc": "", "county_ansi": "",
        "county_code": "", "county_name": "", "region_desc": "", "zip_5": "",
        "watershed_code": "00000000", "watershed_desc": "",
        "congr_district_code": "", "country_code": "9000",
        "country_name": "UNITED STATES", "location_desc": "US TOTAL", "year": "",
        "freq_desc": "MONTHLY", "begin_code": "00", "end_code": "00",
        "reference_period_desc": "", "week_ending": "", "load_time": "",
        "Value": "", "CV (%)": "",
    }  # fmt: skip
    record.update(fields)
    return record


def _nass_records(rng: random.Random, start: date, end: date) -> list[dict[str, str]]:
    records: list[dict[str, str]] = []
    levels = [base for *_, base in _MONTHLY]
    for month in _month_starts(start, end):
        # Fats & Oils comes out about the first business day of the second
        # month after the reference month, at 15:00 Eastern.
        release = _next_weekday((month + timedelta(days=62)).replace(day=1))
        if release > end:
            continue
        for index, (short, commodity, klass, stat, unit, _) in enumerate(_MONTHLY):
            levels[index] *= 1 + rng.gauss(0, 0.03)
            fields = {
                "commodity_desc": commodity, "class_desc": klass or "ALL CLASSES",
                "statisticcat_desc": stat, "unit_desc": unit, "short_desc": short,
                "year": str(month.year), "begin_code": f"{month.month:02d}",
                "end_code": f"{month.month:02d}",
                "reference_period_desc": _MONTHS[month.month - 1],
                "load_time": f"{release.isoformat()} 15:00:00",
                "Value": f"{round(levels[index]):,}",
            }  # fmt: skip
            records.append(_record(**fields))
        # A state row withheld to avoid disclosing individual plants.
        records.append(
            _record(
                short_desc=_MONTHLY[0][0],
                statisticcat_desc="CRUSHED",
                unit_desc="TONS",
                agg_level_desc="STATE",
                state_alpha="IA",
                state_ansi="19",
                state_fips_code="19",
                state_name="IOWA",
                location_desc="IOWA",
                year=str(month.year),
                begin_code=f"{month.month:02d}",
                end_code=f"{month.month:02d}",
                reference_period_desc=_MONTHS[month.month - 1],
                load_time=f"{release.isoformat()} 15:00:00",
                Value="                 (D)",
            )  # fmt: skip
        )
    records += _condition_records(rng, start, end)
    return records


def _condition_records(
    rng: random.Random, start: date, end: date
) -> list[dict[str, str]]:
    """Weekly good-to-excellent shares, June to September, weeks ending Sunday."""
    records = []
    day = start + timedelta(days=(6 - start.weekday()) % 7)
    share = 60.0
    while day <= end - timedelta(days=1):
        if 6 <= day.month <= 9:
            share = min(80.0, max(40.0, share + rng.gauss(0, 2)))
            released = day + timedelta(days=1)
            records.append(
                _record(
                    statisticcat_desc="CONDITION",
                    unit_desc="PCT GOOD",
                    short_desc="SOYBEANS - CONDITION, MEASURED IN PCT GOOD",
                    freq_desc="WEEKLY",
                    year=str(day.year),
                    reference_period_desc=f"WEEK #{day.isocalendar()[1]:02d}",
                    week_ending=day.isoformat(),
                    load_time=f"{released.isoformat()} 16:00:00",
                    Value=str(round(share)),
                )  # fmt: skip
            )
        day += timedelta(days=7)
    return records


def _write_wasde(
    folder: Path, rng: random.Random, start: date, end: date
) -> list[Path]:
    paths = []
    levels = dict(_WORLD_OIL_REGIONS)
    for number, month in enumerate(_month_starts(start, end), start=480):
        release = _next_weekday(month.replace(day=10))
        if release > end:
            continue
        first_year = month.year if month.month >= 10 else month.year - 1
        market_year = f"{first_year}/{str(first_year + 1)[-2:]}"
        rows = []
        for region in levels:
            levels[region] *= 1 + rng.gauss(0, 0.01)
            production = levels[region]
            attributes = {
                "Beginning Stocks": production * 0.1,
                "Production": production,
                "Domestic Total": production * 0.9,
                "Exports": production * 0.15,
                "Ending Stocks": production * 0.08,
            }
            for attribute, value in attributes.items():
                rows.append(
                    [
                        str(number),
                        f"{_MONTH_NAMES[month.month - 1]} {month.year}",
                        "World Soybean Oil Supply and Use",
                        attribute,
                        "",
                        "Soybean Oil",
                        region,
                        market_year,
                        "Proj.",
                        "Annual",
                        f"{value:.2f}".lstrip("0"),
                        "Million Metric Tons",
                        release.isoformat(),
                        "12:00:00.0000000",
                        str(month.year),
                        str(month.month),
                    ]  # fmt: skip
                )
        name = "synthetic_" + WASDE_FILE_TEMPLATE.format(
            year=month.year, month=month.month
        )
        path = folder / name
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle, quoting=csv.QUOTE_ALL)
            writer.writerow(_WASDE_HEADER)
            writer.writerows(rows)
        paths.append(path)
    return paths


# ESR destination codes for synthetic rows, not real FAS country codes.
_ESR_COUNTRIES = (1000, 2000, 3000)
# PSD attribute ids written for each market year.
_PSD_ATTRIBUTES = {20: 0.1, 28: 1.0, 88: 0.15, 176: 0.08}


def _write_fas(folder: Path, rng: random.Random, start: date, end: date) -> list[Path]:
    """Write weekly ESR records (weeks ending Thursday) and yearly PSD records."""
    esr = []
    day = start + timedelta(days=(3 - start.weekday()) % 7)
    level = 20_000.0
    while day + timedelta(days=7) <= end:
        for country in _ESR_COUNTRIES:
            level = max(0.0, level * (1 + rng.gauss(0, 0.1)))
            esr.append(
                {
                    "commodityCode": 902,
                    "countryCode": country,
                    "weeklyExports": round(level * 0.8),
                    "accumulatedExports": 0,
                    "outstandingSales": round(level * 2),
                    "grossNewSales": round(level),
                    "currentMYNetSales": round(level * 0.9),
                    "currentMYTotalCommitment": round(level * 3),
                    "nextMYOutstandingSales": 0,
                    "nextMYNetSales": 0,
                    "unitId": 1,
                    "weekEndingDate": f"{day.isoformat()}T00:00:00",
                }  # fmt: skip
            )
        day += timedelta(days=7)
    psd = []
    # Market year Y is last revised in June of Y + 1.
    for year in range(start.year - 1, end.year):
        production = 11_000.0 * (1 + rng.gauss(0, 0.05))
        for attribute, share in _PSD_ATTRIBUTES.items():
            psd.append(
                {
                    "commodityCode": "4232000",
                    "countryCode": "US",
                    "marketYear": str(year),
                    "calendarYear": str(year + 1),
                    "month": "6",
                    "attributeId": attribute,
                    "unitId": 8,
                    "value": round(production * share, 1),
                }  # fmt: skip
            )
    paths = []
    for name, records in (("esr_exports", esr), ("psd", psd)):
        path = folder / f"synthetic_fas_{name}_soybean_oil.json"
        path.write_text(json.dumps(records), encoding="utf-8")
        paths.append(path)
    return paths
