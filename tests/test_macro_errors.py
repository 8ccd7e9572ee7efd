"""Compile-time errors of the ts_ macros, checked with `dbt compile --inline`.

dbt runs in this process: one parse, then one inline compile per case
against the manifest it returned. The `lint` target is an in-memory DuckDB,
so no warehouse file is opened.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from dbt.cli.main import dbtRunner
from dbt_common.events.base_types import EventMsg

from tests.conftest import PROJECT_ROOT

# An inline compile reports a macro's compiler error only in this event,
# because the exception that dbt returns contains just "Error parsing inline
# query".
PARSE_ERROR_EVENT = "ParseInlineNodeError"

Compile = Callable[[str], tuple[bool, str]]


@pytest.fixture(scope="module")
def compile_inline(tmp_path_factory: pytest.TempPathFactory) -> Compile:
    """Parse the project once and return a function that compiles inline SQL.

    The function returns whether dbt succeeded and the text of the parse
    errors it reported.
    """
    artifacts = tmp_path_factory.mktemp("dbt")
    common = [
        "--project-dir",
        str(PROJECT_ROOT),
        "--profiles-dir",
        str(PROJECT_ROOT),
        "--target",
        "lint",
        "--target-path",
        str(artifacts / "target"),
        "--log-path",
        str(artifacts / "logs"),
        "--no-send-anonymous-usage-stats",
        "--quiet",
    ]
    parsed = dbtRunner().invoke(["parse", *common])
    assert parsed.success, f"dbt parse failed: {parsed.exception}"
    errors: list[str] = []

    def record(event: EventMsg) -> None:
        if event.info.name == PARSE_ERROR_EVENT:
            errors.append(event.info.msg)

    runner = dbtRunner(manifest=parsed.result, callbacks=[record])

    def compile_sql(sql: str) -> tuple[bool, str]:
        errors.clear()
        outcome = runner.invoke(["compile", "--inline", sql, *common])
        return bool(outcome.success), "\n".join(errors)

    return compile_sql


def ewms_sql(alpha: float, seed_values: int) -> str:
    """Return inline SQL that calls ts_ewms_by with one entry named `smoothed`."""
    entry = (
        f"{{'column': 'x', 'alpha': {alpha}, 'name': 'smoothed',"
        f" 'seed_values': {seed_values}}}"
    )
    return f"{{{{ ts_ewms_by('input_rows', none, 'trade_date', [{entry}]) }}}}"


@pytest.mark.parametrize(
    ("alpha", "seed_values", "message"),
    [
        (
            0.5,
            0,
            "seed_values must be at least 1, and 1 when alpha is 1, got 0 for smoothed",
        ),
        (
            1,
            2,
            "seed_values must be at least 1, and 1 when alpha is 1, got 2 for smoothed",
        ),
        # alpha 1/2 gives a block of ceil(53 ln 2 / 0.5) = 74 values.
        (0.5, 75, "seed_values 75 of smoothed exceeds the block of 74 values"),
    ],
    ids=["below_one", "alpha_one", "longer_than_block"],
)
def test_seed_values_rejected(
    compile_inline: Compile, alpha: float, seed_values: int, message: str
) -> None:
    succeeded, errors = compile_inline(ewms_sql(alpha, seed_values))
    assert not succeeded
    assert message in errors


@pytest.mark.parametrize(
    ("alpha", "seed_values"),
    [(0.5, 74), (1, 1)],
    ids=["block_length", "alpha_one"],
)
def test_seed_values_accepted(
    compile_inline: Compile, alpha: float, seed_values: int
) -> None:
    succeeded, errors = compile_inline(ewms_sql(alpha, seed_values))
    assert errors == ""
    assert succeeded


ONE_ENTRY = "[{'column': 'x', 'alpha': 0.5, 'name': 'smoothed'}]"


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            f"ts_ewms_by('r', 's', 'd', {ONE_ENTRY}, row_column='n')",
            "ts_ewms_by: pass both row_column and count_columns or neither",
        ),
        (
            f"ts_ewms_by('r', 's', 'd', {ONE_ENTRY}, row_column='n',"
            " count_columns={'y': 'y_count'})",
            "ts_ewms_by: count_columns has no running count for x",
        ),
        (
            "ts_ema_by('r', 's', 'd', 'x', 3, count_column='x_count')",
            "ts_ema_by: pass both row_column and count_column or neither",
        ),
        (
            "ts_ewm_by('r', 's', 'd', 'x', 0.5, 'e', row_column='n')",
            "ts_ewm_by: pass both row_column and count_column or neither",
        ),
        (
            f"ts_ewms_by('r', 's', 'd', {ONE_ENTRY}, row_column='n',"
            " count_columns='x_count')",
            "ts_ewms_by: count_columns must be a mapping",
        ),
        (
            "ts_rsi_wilder_by('r', 's', 'd', 'x', 3, previous_column='p')",
            "ts_rsi_wilder_by: pass both row_column and previous_column or neither",
        ),
        (
            "ts_macd_by('r', 's', 'd', 'x', seen_column='seen')",
            "ts_macd_by: pass row_column with seen_column",
        ),
        (
            "ts_macd_by('r', 's', 'd', 'x', fast_ema='f', slow_ema='w',"
            " row_column='n', seen_column='seen', count_column='c')",
            "ts_macd_by: count_column is unused when fast_ema and slow_ema are given",
        ),
        (
            "ts_rsi_wilder_by('r', 's', 'd', 'x', 3, row_column='n')",
            "ts_rsi_wilder_by: pass both row_column and previous_column or neither",
        ),
        (
            "ts_macd_by('r', 's', 'd', 'x', row_column='n', count_column='x_count')",
            "ts_macd_by: pass row_column with seen_column",
        ),
        (
            "ts_macd_by('r', 's', 'd', 'x', row_column='n', seen_column='seen')",
            "ts_macd_by: pass row_column with seen_column",
        ),
        (
            "ts_macd_by('r', 's', 'd', 'x', count_column='x_count')",
            "ts_macd_by: pass row_column with seen_column",
        ),
    ],
    ids=[
        "ewms_row_without_counts",
        "ewms_count_missing",
        "ema_count_without_row",
        "ewm_row_without_count",
        "ewms_counts_not_mapping",
        "rsi_previous_without_row",
        "macd_seen_without_row",
        "macd_count_with_given_emas",
        "rsi_row_without_previous",
        "macd_row_without_seen",
        "macd_computed_without_count",
        "macd_count_without_row",
    ],
)
def test_index_columns_rejected(
    compile_inline: Compile, call: str, message: str
) -> None:
    """Precomputed row numbers and counts must come with all the columns they need."""
    succeeded, errors = compile_inline(f"{{{{ {call} }}}}")
    assert not succeeded
    assert message in errors


@pytest.mark.parametrize(
    "call",
    [
        "ts_ema_by('r', 's', 'd', 'x', [3, 5], row_column='n', count_column='c')",
        "ts_rsi_wilder_by('r', 's', 'd', 'x', 3, row_column='n', previous_column='p')",
        "ts_macd_by('r', 's', 'd', 'x', fast_ema='f', slow_ema='w', row_column='n',"
        " seen_column='seen')",
        "ts_macd_by('r', 's', 'd', 'x', row_column='n', seen_column='seen',"
        " count_column='c')",
    ],
    ids=["ema", "rsi", "macd_given_emas", "macd_computed_emas"],
)
def test_index_columns_accepted(compile_inline: Compile, call: str) -> None:
    succeeded, errors = compile_inline(f"{{{{ {call} }}}}")
    assert errors == ""
    assert succeeded
