"""Bar sanity rules shared by every price-file reader."""

from __future__ import annotations

import pytest

from ingest.prices.rows import price_problem


@pytest.mark.parametrize(
    ("bar", "reason"),
    [
        ((53.0, 55.0, 52.0, 54.0), None),
        ((53.12, 53.12, 53.12, 52.17), None),
        ((53.0, 55.0, 52.0, 999999999.0), "price far outside the day's range"),
        ((53.0, 55.0, 52.0, 1.797e308), "price far outside the day's range"),
        ((0.001, 55.0, 52.0, 54.0), "price far outside the day's range"),
        ((53.0, 55.0, 52.0, float("inf")), "non-numeric price"),
        ((53.0, 55.0, 0.0, 54.0), "non-positive price"),
        ((53.0, 51.0, 52.0, 54.0), "high below low"),
    ],
)
def test_price_problem_cases(bar: tuple[float, float, float, float], reason) -> None:
    assert price_problem(*bar) == reason
