"""Parsers of the JSON feeds: NOAA CDO v2, Open-Meteo and NASA POWER.

Each parser turns one response body into `Observation`s, one per location
and local day, in °C and mm (see `units`). A body that is malformed as a
whole raises `SourceFormatError`; a single bad value or day is skipped and
counted.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from ingest.source import LoadContext, SourceFormatError
from ingest.weather import units
from ingest.weather.settings import NASA_POWER, NOAA, OPEN_METEO

_NOAA_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})(T00:00:00)?$")
_POWER_DATE = re.compile(r"^\d{8}$")
POWER_FILL_VALUE = -999.0
_POWER_PRECIP = ("PRECTOTCORR", "PRECTOT")


class OpenMeteoError(SourceFormatError):
    """Raised for an Open-Meteo error body; the message contains its reason."""


@dataclass
class Observation:
    """One location's values for one local day, in °C and mm."""

    feed: str
    location_id: str
    observation_date: date
    tmax_c: float | None
    tmin_c: float | None
    precip_mm: float | None
    provisional: bool
    latitude: float | None
    longitude: float | None
    source: str

    @property
    def key(self) -> tuple[str, str, date]:
        return (self.feed, self.location_id, self.observation_date)

    def has_values(self) -> bool:
        return any(v is not None for v in (self.tmax_c, self.tmin_c, self.precip_mm))

    def row(self) -> dict[str, Any]:
        return {
            "feed": self.feed,
            "location_id": self.location_id,
            "observation_date": self.observation_date,
            "tmax_c": self.tmax_c,
            "tmin_c": self.tmin_c,
            "precip_mm": self.precip_mm,
            "provisional": self.provisional,
            "latitude": self.latitude,
            "longitude": self.longitude,
            "source": self.source,
        }


# --- NOAA CDO v2 -----------------------------------------------------------


def noaa_units(units_param: str | None) -> dict[str, str]:
    """Return the unit of TMAX, TMIN and PRCP for a request's `units` value.

    Without `units`, CDO returns GHCN-Daily's own integers: tenths of °C and
    tenths of mm. The API client never sends `units`.
    """
    if units_param is None:
        return {
            "TMAX": units.TENTHS_CELSIUS,
            "TMIN": units.TENTHS_CELSIUS,
            "PRCP": units.TENTHS_MM,
        }
    if units_param == "metric":
        return {"TMAX": units.CELSIUS, "TMIN": units.CELSIUS, "PRCP": units.MILLIMETRES}
    if units_param == "standard":
        return {
            "TMAX": units.FAHRENHEIT,
            "TMIN": units.FAHRENHEIT,
            "PRCP": units.INCHES,
        }
    raise SourceFormatError(f"weather: unknown NOAA units parameter {units_param!r}")


def noaa_results(body: Any, where: str) -> list[dict[str, Any]]:
    """Return the `results` list of a CDO body; `{}` (no data) gives []."""
    if not isinstance(body, dict):
        raise SourceFormatError(f"weather: {where}: expected a JSON object")
    if not body:
        return []
    results = body.get("results")
    if not isinstance(results, list):
        raise SourceFormatError(f"weather: {where}: missing or invalid `results`")
    return results


def parse_noaa(
    body: Any,
    where: str,
    ctx: LoadContext,
    source: str,
    units_param: str | None = None,
) -> list[Observation]:
    """Parse a CDO `/data` body of GHCND daily TMAX, TMIN and PRCP.

    `attributes` is "mflag,qflag,sflag,time". A value with a quality flag
    (qflag) failed NOAA's checks and is skipped; trace precipitation
    (mflag T) is stored as the 0 that CDO reports.
    """
    unit_of = noaa_units(units_param)
    by_key: dict[tuple[str, date], Observation] = {}
    for index, result in enumerate(noaa_results(body, where)):
        item = f"{where} result {index}"
        if not isinstance(result, dict):
            ctx.skip("invalid NOAA result", item)
            continue
        datatype = result.get("datatype")
        if datatype not in unit_of:
            ctx.skip("other NOAA datatype", f"{item}: {datatype!r}")
            continue
        station = result.get("station")
        match = _NOAA_DATE.match(str(result.get("date", "")))
        if not isinstance(station, str) or not station or match is None:
            ctx.skip("invalid NOAA result", f"{item}: station or date")
            continue
        day = date.fromisoformat(match.group(1))
        if not ctx.window.contains(day):
            continue
        flags = str(result.get("attributes") or "").split(",")
        if len(flags) > 1 and flags[1].strip():
            ctx.skip("failed NOAA quality check", f"{item}: qflag {flags[1]!r}")
            continue
        raw = result.get("value")
        if isinstance(raw, bool) or not isinstance(raw, int | float):
            ctx.skip("invalid value", f"{item}: {raw!r}")
            continue
        observation = by_key.setdefault(
            (station, day), _empty(NOAA, station, day, source)
        )
        if datatype == "PRCP":
            observation.precip_mm = units.precipitation_mm(
                units.to_number(raw), unit_of[datatype]
            )
        else:
            value = units.temperature_c(units.to_number(raw), unit_of[datatype])
            if datatype == "TMAX":
                observation.tmax_c = value
            else:
                observation.tmin_c = value
    return [obs for obs in by_key.values() if obs.has_values()]


# --- Open-Meteo ------------------------------------------------------------


def check_openmeteo_error(body: Any, where: str) -> None:
    """Raise `OpenMeteoError` when `body` is Open-Meteo's error object."""
    if isinstance(body, dict) and body.get("error") is True:
        reason = body.get("reason", "no reason given")
        raise OpenMeteoError(f"weather: Open-Meteo rejected {where}: {reason}")


def parse_openmeteo(
    body: Any,
    where: str,
    ctx: LoadContext,
    *,
    location_id: str,
    latitude: float,
    longitude: float,
    provisional: bool,
    source: str,
    keep_before: date | None = None,
) -> list[Observation]:
    """Parse an archive or forecast body's column-oriented `daily` block.

    Units follow `daily_units` (°C or °F, mm or inch). A day with no value
    at all (the archive has not reached it yet) is skipped and counted. Days
    on or after `keep_before` are forecasts, not observations, and are
    dropped.

    Raises:
        OpenMeteoError: the body is an error object.
        SourceFormatError: `daily` or `daily.time` is missing, or a column's
            length differs from `time`.
    """
    check_openmeteo_error(body, where)
    if not isinstance(body, dict) or not isinstance(body.get("daily"), dict):
        raise SourceFormatError(f"weather: {where}: missing `daily` object")
    daily = body["daily"]
    times = daily.get("time")
    if not isinstance(times, list):
        raise SourceFormatError(f"weather: {where}: missing `daily.time` list")
    daily_units = body.get("daily_units") or {}
    columns = {}
    for name in ("temperature_2m_max", "temperature_2m_min", "precipitation_sum"):
        values = daily.get(name)
        if values is None:
            columns[name] = [None] * len(times)
            continue
        if not isinstance(values, list) or len(values) != len(times):
            raise SourceFormatError(
                f"weather: {where}: `daily.{name}` does not match `daily.time`"
            )
        columns[name] = values
    temperature_unit = _unit(
        daily_units, ("temperature_2m_max", "temperature_2m_min"), "°C", where
    )
    precip_unit = _unit(daily_units, ("precipitation_sum",), "mm", where)
    observations = []
    for index, text in enumerate(times):
        day = _iso_date(text)
        if day is None:
            ctx.skip("invalid date", f"{where}: daily.time[{index}] = {text!r}")
            continue
        if keep_before is not None and day >= keep_before:
            ctx.skip("forecast day, not observed", f"{where}: {day}")
            continue
        if not ctx.window.contains(day):
            continue
        observation = Observation(
            feed=OPEN_METEO,
            location_id=location_id,
            observation_date=day,
            tmax_c=units.temperature_c(
                units.to_number(columns["temperature_2m_max"][index]),
                units.temperature_unit(temperature_unit),
            ),
            tmin_c=units.temperature_c(
                units.to_number(columns["temperature_2m_min"][index]),
                units.temperature_unit(temperature_unit),
            ),
            precip_mm=units.precipitation_mm(
                units.to_number(columns["precipitation_sum"][index]),
                units.precipitation_unit(precip_unit),
            ),
            provisional=provisional,
            latitude=latitude,
            longitude=longitude,
            source=source,
        )
        if not observation.has_values():
            ctx.skip("no values for day", f"{where}: {day}")
            continue
        observations.append(observation)
    return observations


def _unit(
    daily_units: Mapping[str, Any], names: tuple[str, ...], default: str, where: str
) -> str:
    labels = {str(daily_units[n]) for n in names if n in daily_units}
    if len(labels) > 1:
        raise SourceFormatError(f"weather: {where}: mixed units {sorted(labels)}")
    label = labels.pop() if labels else default
    try:
        if default == "mm":
            units.precipitation_unit(label)
        else:
            units.temperature_unit(label)
    except units.UnitError as exc:
        raise SourceFormatError(f"weather: {where}: {exc}") from exc
    return label


# --- NASA POWER ------------------------------------------------------------


def power_point(body: Any, where: str) -> tuple[float, float]:
    """Return (latitude, longitude) of a POWER point body's GeoJSON geometry."""
    try:
        lon, lat = body["geometry"]["coordinates"][:2]
        return float(lat), float(lon)
    except (KeyError, TypeError, ValueError) as exc:
        raise SourceFormatError(
            f"weather: {where}: missing or invalid `geometry.coordinates`"
        ) from exc


def parse_power(
    body: Any, where: str, ctx: LoadContext, *, location_id: str, source: str
) -> list[Observation]:
    """Parse a POWER daily point body: T2M_MAX, T2M_MIN and corrected precipitation.

    Values are keyed by YYYYMMDD strings. The header's `fill_value` (-999)
    marks a missing value. Units come from `parameters.<name>.units` when the
    body has that block, else POWER's defaults, °C and mm/day.

    Raises:
        SourceFormatError: `properties.parameter` is missing or has none of
            the three parameters.
    """
    latitude, longitude = power_point(body, where)
    try:
        parameters = body["properties"]["parameter"]
    except (KeyError, TypeError) as exc:
        raise SourceFormatError(
            f"weather: {where}: missing `properties.parameter`"
        ) from exc
    precip_name = next((n for n in _POWER_PRECIP if n in parameters), None)
    names = {"tmax": "T2M_MAX", "tmin": "T2M_MIN", "precip": precip_name}
    series = {
        key: parameters.get(name) if name else None for key, name in names.items()
    }
    if not any(isinstance(values, dict) for values in series.values()):
        raise SourceFormatError(
            f"weather: {where}: `properties.parameter` has none of T2M_MAX, "
            "T2M_MIN, PRECTOTCORR"
        )
    header = body.get("header") or {}
    sentinels = {POWER_FILL_VALUE}
    fill = units.to_number(header.get("fill_value"))
    if fill is not None:
        sentinels.add(fill)
    meta = body.get("parameters") or {}
    temp_unit = units.temperature_unit(str(meta.get("T2M_MAX", {}).get("units", "C")))
    precip_unit = units.precipitation_unit(
        str(meta.get(precip_name or "", {}).get("units", "mm/day"))
    )
    days = sorted(
        {k for values in series.values() if isinstance(values, dict) for k in values}
    )
    observations = []
    for key in days:
        if not _POWER_DATE.match(key):
            ctx.skip("invalid date", f"{where}: {key!r}")
            continue
        try:
            day = datetime.strptime(key, "%Y%m%d").date()
        except ValueError:
            ctx.skip("invalid date", f"{where}: {key!r}")
            continue
        if not ctx.window.contains(day):
            continue
        values = {
            name: units.to_number(_power_value(series[name], key), frozenset(sentinels))
            for name in series
        }
        observation = Observation(
            feed=NASA_POWER,
            location_id=location_id,
            observation_date=day,
            tmax_c=units.temperature_c(values["tmax"], temp_unit),
            tmin_c=units.temperature_c(values["tmin"], temp_unit),
            precip_mm=units.precipitation_mm(values["precip"], precip_unit),
            provisional=False,
            latitude=latitude,
            longitude=longitude,
            source=source,
        )
        if not observation.has_values():
            ctx.skip("no values for day", f"{where}: {day}")
            continue
        observations.append(observation)
    return observations


def _power_value(values: Any, key: str) -> Any:
    return values.get(key) if isinstance(values, dict) else None


def _empty(feed: str, location_id: str, day: date, source: str) -> Observation:
    return Observation(
        feed, location_id, day, None, None, None, False, None, None, source
    )


def _iso_date(text: Any) -> date | None:
    try:
        return date.fromisoformat(str(text)[:10]) if len(str(text)) == 10 else None
    except ValueError:
        return None
