"""TableSpec: Arrow tables built from columns or rows, checks, and DuckDB DDL."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest

from ingest.schema import LOADED_AT, Column, SchemaError, TableSpec

SPEC = TableSpec(
    name="demo_quotes",
    columns=(
        Column("trade_date", "date", nullable=False),
        Column("symbol", "text", nullable=False),
        Column("close", "double"),
        Column("volume", "bigint"),
        Column("is_roll", "bool"),
        Column("published_at", "timestamp"),
    ),
    primary_key=("trade_date", "symbol"),
)
STAMP = datetime(2024, 3, 1, 12, 30, tzinfo=UTC)
PUBLISHED = datetime(2024, 1, 3, 21, 0, tzinfo=UTC)


def sample_columns() -> dict[str, list]:
    return {
        "trade_date": [date(2024, 1, 2), date(2024, 1, 3)],
        "symbol": ["ZLH4", "ZLH4"],
        "close": [47.5, None],
        "volume": [1200, 950],
        "is_roll": [False, True],
        "published_at": [None, PUBLISHED],
    }


def sample_rows() -> list[dict]:
    columns = sample_columns()
    return [{name: values[i] for name, values in columns.items()} for i in range(2)]


def test_columns_input_types() -> None:
    table = SPEC.to_arrow(sample_columns(), loaded_at=STAMP)
    assert table.schema == SPEC.arrow_schema()
    assert table.num_rows == 2
    assert table.column("close").to_pylist() == [47.5, None]
    assert table.column("volume").type == pa.int64()
    assert table.column("trade_date").type == pa.date32()


def test_rows_input_matches_columns() -> None:
    from_rows = SPEC.to_arrow(sample_rows(), loaded_at=STAMP)
    from_columns = SPEC.to_arrow(sample_columns(), loaded_at=STAMP)
    assert from_rows.equals(from_columns)


def test_empty_rows() -> None:
    table = SPEC.to_arrow([], loaded_at=STAMP)
    assert table.num_rows == 0
    assert table.schema == SPEC.arrow_schema()


def test_loaded_at_added() -> None:
    table = SPEC.to_arrow(sample_columns(), loaded_at=STAMP)
    assert table.column_names[-1] == LOADED_AT
    assert table.schema.field(LOADED_AT).type == pa.timestamp("us", tz="UTC")
    assert table.column(LOADED_AT).to_pylist() == [STAMP, STAMP]


def test_loaded_at_defaults_to_now() -> None:
    before = datetime.now(UTC)
    table = SPEC.to_arrow(sample_columns())
    after = datetime.now(UTC)
    stamps = set(table.column(LOADED_AT).to_pylist())
    assert len(stamps) == 1
    assert before <= stamps.pop() <= after


def test_wrong_type_names_column() -> None:
    columns = sample_columns()
    columns["close"] = [47.5, "n/a"]
    with pytest.raises(SchemaError) as caught:
        SPEC.to_arrow(columns)
    assert "demo_quotes.close" in str(caught.value)
    assert "'n/a'" in str(caught.value)


def test_wrong_type_in_rows() -> None:
    rows = sample_rows()
    rows[1]["volume"] = "950 lots"
    with pytest.raises(SchemaError) as caught:
        SPEC.to_arrow(rows)
    assert "demo_quotes.volume" in str(caught.value)
    assert "'950 lots'" in str(caught.value)


def test_null_in_not_null() -> None:
    columns = sample_columns()
    columns["symbol"] = ["ZLH4", None]
    with pytest.raises(SchemaError) as caught:
        SPEC.to_arrow(columns)
    assert "demo_quotes.symbol" in str(caught.value)
    assert "NOT NULL" in str(caught.value)


def test_missing_column() -> None:
    columns = sample_columns()
    del columns["volume"]
    with pytest.raises(SchemaError) as caught:
        SPEC.to_arrow(columns)
    assert "missing ['volume']" in str(caught.value)


def test_unexpected_column() -> None:
    columns = sample_columns()
    columns["settle"] = [1.0, 2.0]
    with pytest.raises(SchemaError) as caught:
        SPEC.to_arrow(columns)
    assert "unexpected ['settle']" in str(caught.value)


def test_rows_unexpected_key() -> None:
    rows = sample_rows()
    rows[1]["settle"] = 2.0
    with pytest.raises(SchemaError) as caught:
        SPEC.to_arrow(rows)
    assert "settle" in str(caught.value)


def test_rows_missing_key() -> None:
    # The docstring promises that every declared column must be present, so a
    # row that lacks one must not turn into a silent NULL.
    rows = sample_rows()
    del rows[0]["volume"]
    with pytest.raises(SchemaError) as caught:
        SPEC.to_arrow(rows)
    assert "volume" in str(caught.value)


def test_unequal_lengths() -> None:
    columns = sample_columns()
    columns["volume"] = [1200]
    with pytest.raises(SchemaError) as caught:
        SPEC.to_arrow(columns)
    assert "demo_quotes.volume" in str(caught.value)


def test_unknown_type_rejected() -> None:
    with pytest.raises(SchemaError) as caught:
        Column("price", "decimal")
    assert "'decimal'" in str(caught.value)


def test_declared_loaded_at_rejected() -> None:
    with pytest.raises(SchemaError):
        TableSpec("t", (Column(LOADED_AT, "timestamp", nullable=False),), ())


def test_nullable_key_rejected() -> None:
    with pytest.raises(SchemaError) as caught:
        TableSpec("t", (Column("id", "text"),), ("id",))
    assert "'id'" in str(caught.value)


def test_undeclared_key_rejected() -> None:
    with pytest.raises(SchemaError) as caught:
        TableSpec("t", (Column("id", "text", nullable=False),), ("code",))
    assert "code" in str(caught.value)


def test_ddl_types_in_duckdb(tmp_path: Path) -> None:
    with duckdb.connect(str(tmp_path / "ddl.duckdb")) as con:
        con.execute("create schema raw")
        con.execute(SPEC.ddl())
        found = con.execute(
            """
            select column_name, data_type, is_nullable
            from information_schema.columns
            where table_schema = 'raw' and table_name = 'demo_quotes'
            order by ordinal_position
            """
        ).fetchall()
    assert found == [
        ("trade_date", "DATE", "NO"),
        ("symbol", "VARCHAR", "NO"),
        ("close", "DOUBLE", "YES"),
        ("volume", "BIGINT", "YES"),
        ("is_roll", "BOOLEAN", "YES"),
        ("published_at", "TIMESTAMP WITH TIME ZONE", "YES"),
        (LOADED_AT, "TIMESTAMP WITH TIME ZONE", "NO"),
    ]


def test_ddl_accepts_arrow_rows(tmp_path: Path) -> None:
    batch = SPEC.to_arrow(sample_columns(), loaded_at=STAMP)
    with duckdb.connect(str(tmp_path / "ddl.duckdb")) as con:
        con.execute("create schema raw")
        con.execute(SPEC.ddl())
        con.register("batch", batch)
        con.execute("insert into raw.demo_quotes select * from batch")
        stored = con.execute(
            "select volume, published_at from raw.demo_quotes order by trade_date"
        ).fetchall()
    assert stored[0] == (1200, None)
    assert stored[1][0] == 950
    assert stored[1][1] == PUBLISHED


def test_ddl_idempotent(tmp_path: Path) -> None:
    with duckdb.connect(str(tmp_path / "ddl.duckdb")) as con:
        con.execute("create schema staging")
        con.execute(SPEC.ddl("staging"))
        con.execute(SPEC.ddl("staging"))
        count = con.execute(
            "select count(*) from information_schema.tables "
            "where table_schema = 'staging'"
        ).fetchone()[0]
    assert count == 1
