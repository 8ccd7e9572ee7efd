"""FAS OpenData: weekly export sales (ESR) and PSD balances, API and files.

NOTE: the record shapes below come from the FAS OpenData documentation and
public client code, not from a recorded response: camelCase fields, ESR
`weekEndingDate` as `YYYY-MM-DDT00:00:00`, PSD codes as strings. The tests
use hand-made bodies only. A missing key field raises and a mistyped value
is a counted skip, so a changed shape shows up on the first live run.

Endpoints, relative to `$ZL_FAS_BASE_URL`:

- `/esr/exports/commodityCode/{code}/allCountries/marketYear/{year}`
- `/psd/commodity/{code}/country/all/year/{year}`
- `/psd/commodityAttributes` and `/psd/unitsOfMeasure` (names of ids)

The key travels in the `API_KEY` header.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping
from datetime import date, datetime
from typing import Any

from ingest.http import HttpClient
from ingest.settings import get_secret
from ingest.source import Batch, LoadContext, SourceFormatError
from ingest.usda.settings import (
    API_SOURCE,
    ESR_COMMODITIES,
    FAS_API_KEY_ENV,
    FAS_API_KEY_HEADER,
    PSD_COMMODITIES,
    fas_base_url,
)
from ingest.usda.tables import USDA_FAS_EXPORT_SALES, USDA_FAS_PSD

log = logging.getLogger(__name__)

Row = dict[str, Any]

# ESR JSON field -> raw column, for the quantities of one record.
ESR_QUANTITIES = {
    "weeklyExports": "weekly_exports",
    "accumulatedExports": "accumulated_exports",
    "outstandingSales": "outstanding_sales",
    "grossNewSales": "gross_new_sales",
    "currentMYNetSales": "current_my_net_sales",
    "currentMYTotalCommitment": "current_my_total_commitment",
    "nextMYOutstandingSales": "next_my_outstanding_sales",
    "nextMYNetSales": "next_my_net_sales",
}
ESR_REQUIRED = ("commodityCode", "countryCode", "weekEndingDate")
PSD_REQUIRED = ("commodityCode", "countryCode", "marketYear", "attributeId")


def is_esr(records: list[Any]) -> bool:
    """Return True when a JSON list looks like ESR export records."""
    return bool(records) and all(
        isinstance(r, Mapping) and "weekEndingDate" in r for r in records
    )


def is_psd(records: list[Any]) -> bool:
    """Return True when a JSON list looks like PSD records."""
    return bool(records) and all(
        isinstance(r, Mapping) and "attributeId" in r for r in records
    )


def parse_esr(
    records: list[Any],
    market_year: int | None,
    source: str,
    ctx: LoadContext,
    where: str,
) -> list[Row]:
    """Parse ESR export records into `usda_fas_export_sales` rows in the window.

    Raises:
        SourceFormatError: the body is not a list or a record lacks a key field.
    """
    rows: list[Row] = []
    for index, record in enumerate(_record_list(records, ESR_REQUIRED, where)):
        week = _esr_date(record["weekEndingDate"])
        codes = [_integer(record[name]) for name in ("commodityCode", "countryCode")]
        parsed = {
            column: _number(record.get(field))
            for field, column in ESR_QUANTITIES.items()
        }
        quantities = {column: value for column, (_, value) in parsed.items()}
        valid = all(ok for ok, _ in parsed.values())
        if week is None or None in codes or not valid:
            ctx.skip("invalid ESR record", f"{where} record {index}: {record!r}")
            continue
        if not ctx.window.contains(week):
            continue
        unit = _integer(record.get("unitId"))
        rows.append(
            {
                "commodity_code": codes[0],
                "country_code": codes[1],
                "week_ending_date": week,
                "market_year": market_year,
                **quantities,
                "unit_id": unit,
                "source": source,
            }
        )
    return rows


def parse_psd(
    records: list[Any],
    attributes: Mapping[int, str],
    units: Mapping[int, str],
    source: str,
    ctx: LoadContext,
    where: str,
) -> list[Row]:
    """Parse PSD records into `usda_fas_psd` rows.

    Raises:
        SourceFormatError: the body is not a list or a record lacks a key field.
    """
    rows: list[Row] = []
    for index, record in enumerate(_record_list(records, PSD_REQUIRED, where)):
        market_year = _integer(record["marketYear"])
        attribute_id = _integer(record["attributeId"])
        valid, value = _number(record.get("value"))
        if market_year is None or attribute_id is None or not valid:
            ctx.skip("invalid PSD record", f"{where} record {index}: {record!r}")
            continue
        unit_id = _integer(record.get("unitId"))
        rows.append(
            {
                "commodity_code": str(record["commodityCode"]).strip(),
                "country_code": str(record["countryCode"]).strip(),
                "market_year": market_year,
                "attribute_id": attribute_id,
                "attribute_name": attributes.get(attribute_id),
                "unit_id": unit_id,
                "unit_description": units.get(unit_id) if unit_id else None,
                "calendar_year": _integer(record.get("calendarYear")),
                "month": _integer(record.get("month")),
                "value": value,
                "source": source,
            }
        )
    return rows


def fetch_fas(ctx: LoadContext) -> Iterator[Batch]:
    """Yield ESR and PSD batches for every configured commodity and year.

    Market years run from the window's start year (default: five years
    ago) to one year past its end year, because FAS numbers some market
    years by the calendar year in which they end.

    Raises:
        MissingSecretError: FAS_API_KEY is not configured.
        HttpError: FAS rejected a request, or retries ran out.
        SourceFormatError: a response is not a list of records.
    """
    api_key = get_secret(FAS_API_KEY_ENV) or ""
    client = ctx.http(
        headers={FAS_API_KEY_HEADER: api_key, "Accept": "application/json"}
    )
    base = fas_base_url()
    today = date.today()
    first = ctx.window.start.year if ctx.window.start else today.year - 5
    last = (ctx.window.end.year if ctx.window.end else today.year) + 1
    years = range(first, last + 1)
    for code in ESR_COMMODITIES:
        for year in years:
            url = (
                f"{base}/esr/exports/commodityCode/{code}/allCountries/"
                f"marketYear/{year}"
            )
            body = client.get_json(url)
            rows = parse_esr(body, year, API_SOURCE, ctx, url)
            log.info("usda: ESR %s market year %d: %d rows", code, year, len(rows))
            if rows:
                yield USDA_FAS_EXPORT_SALES, USDA_FAS_EXPORT_SALES.to_arrow(rows)
    attributes = _lookup(client, f"{base}/psd/commodityAttributes", "attribute")
    units = _lookup(client, f"{base}/psd/unitsOfMeasure", "unit")
    for code in PSD_COMMODITIES:
        for year in years:
            url = f"{base}/psd/commodity/{code}/country/all/year/{year}"
            body = client.get_json(url)
            rows = parse_psd(body, attributes, units, API_SOURCE, ctx, url)
            log.info("usda: PSD %s market year %d: %d rows", code, year, len(rows))
            if rows:
                yield USDA_FAS_PSD, USDA_FAS_PSD.to_arrow(rows)


def _lookup(client: HttpClient, url: str, kind: str) -> dict[int, str]:
    """Return id -> name from a PSD lookup list; unknown shapes give {}."""
    body = client.get_json(url)
    names: dict[int, str] = {}
    id_field = f"{kind}Id"
    name_fields = (f"{kind}Name", f"{kind}Description")
    for record in body if isinstance(body, list) else []:
        if not isinstance(record, Mapping):
            continue
        key = _integer(record.get(id_field))
        name = next((record[f] for f in name_fields if record.get(f)), None)
        if key is not None and name is not None:
            names[key] = str(name).strip()
    if not names:
        log.warning("usda: %s returned no %s names; names stay NULL", url, kind)
    return names


def _record_list(
    records: object, required: tuple[str, ...], where: str
) -> list[Mapping[str, Any]]:
    if not isinstance(records, list):
        raise SourceFormatError(f"usda: {where}: expected a JSON list of records")
    for index, record in enumerate(records):
        if not isinstance(record, Mapping):
            raise SourceFormatError(f"usda: {where}: record {index} is not an object")
        missing = [name for name in required if name not in record]
        if missing:
            raise SourceFormatError(f"usda: {where}: record {index} lacks {missing}")
    return records  # type: ignore[return-value]


def _esr_date(text: object) -> date | None:
    if not isinstance(text, str):
        return None
    try:
        return datetime.fromisoformat(text.strip()).date()
    except ValueError:
        return None


def _integer(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def _number(value: object) -> tuple[bool, float | None]:
    """Return (valid, float or None for a missing value)."""
    if value is None:
        return True, None
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False, None
    return True, float(value)
