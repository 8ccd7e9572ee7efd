"""The one place where weather values become numbers in °C and mm.

Every feed passes its raw values through `temperature_c` and
`precipitation_mm` with the unit the vendor used. Missing markers and
sentinels (-999 in NASA POWER, -9999 in INMET, NULL or empty elsewhere) come
back as None and never as a number.
"""

from __future__ import annotations

import math
from typing import Any

# Unit names as the vendors write them.
CELSIUS = "celsius"
FAHRENHEIT = "fahrenheit"
TENTHS_CELSIUS = "tenths_celsius"  # GHCN-Daily TMAX and TMIN without `units=`
MILLIMETRES = "mm"
INCHES = "inch"
TENTHS_MM = "tenths_mm"  # GHCN-Daily PRCP without `units=`

_TEMPERATURE_UNITS = {
    "°c": CELSIUS,
    "ºc": CELSIUS,
    "c": CELSIUS,
    "celsius": CELSIUS,
    "°f": FAHRENHEIT,
    "ºf": FAHRENHEIT,
    "f": FAHRENHEIT,
    "fahrenheit": FAHRENHEIT,
    TENTHS_CELSIUS: TENTHS_CELSIUS,
}
_PRECIPITATION_UNITS = {
    "mm": MILLIMETRES,
    "mm/day": MILLIMETRES,
    "inch": INCHES,
    "in": INCHES,
    "inches": INCHES,
    TENTHS_MM: TENTHS_MM,
}
# Values at or below these are physically impossible: a sentinel slipped
# through under an unknown marker, so the value is dropped.
_MIN_TEMPERATURE_C = -90.0
_MAX_TEMPERATURE_C = 60.0


class UnitError(ValueError):
    """Raised for a unit name the loader does not know."""


def temperature_unit(name: str) -> str:
    """Return the canonical temperature unit for a vendor's unit label.

    Raises:
        UnitError: the label is not a known temperature unit.
    """
    unit = _TEMPERATURE_UNITS.get(name.strip().lower())
    if unit is None:
        raise UnitError(f"unknown temperature unit {name!r}")
    return unit


def precipitation_unit(name: str) -> str:
    """Return the canonical precipitation unit for a vendor's unit label.

    Raises:
        UnitError: the label is not a known precipitation unit.
    """
    unit = _PRECIPITATION_UNITS.get(name.strip().lower())
    if unit is None:
        raise UnitError(f"unknown precipitation unit {name!r}")
    return unit


def to_number(value: Any, sentinels: frozenset[float] = frozenset()) -> float | None:
    """Return `value` as a float, or None for missing, NaN or a sentinel.

    Strings may use a decimal comma ("22,4"). A string that is not a number
    is treated as missing; callers that must tell the two apart check first.
    """
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, str):
        text = value.strip().replace(",", ".")
        if not text:
            return None
        try:
            number = float(text)
        except ValueError:
            return None
    elif isinstance(value, int | float):
        number = float(value)
    else:
        return None
    if math.isnan(number) or number in sentinels:
        return None
    return number


def temperature_c(value: float | None, unit: str) -> float | None:
    """Convert a temperature in `unit` to °C, rounded to 0.01 °C."""
    if value is None:
        return None
    if unit == CELSIUS:
        celsius = value
    elif unit == FAHRENHEIT:
        celsius = (value - 32.0) * 5.0 / 9.0
    elif unit == TENTHS_CELSIUS:
        celsius = value / 10.0
    else:
        raise UnitError(f"unknown temperature unit {unit!r}")
    if not _MIN_TEMPERATURE_C <= celsius <= _MAX_TEMPERATURE_C:
        return None
    return round(celsius, 2)


def precipitation_mm(value: float | None, unit: str) -> float | None:
    """Convert a precipitation depth in `unit` to mm, rounded to 0.01 mm.

    A negative depth is a sentinel under another name and becomes None.
    """
    if value is None:
        return None
    if unit == MILLIMETRES:
        millimetres = value
    elif unit == INCHES:
        millimetres = value * 25.4
    elif unit == TENTHS_MM:
        millimetres = value / 10.0
    else:
        raise UnitError(f"unknown precipitation unit {unit!r}")
    if millimetres < 0:
        return None
    return round(millimetres, 2)
