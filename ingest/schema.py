"""Typed specifications of raw tables, shared by parsers, dlt and DDL.

A `TableSpec` is the single declaration of a raw table: its columns, their
types and its natural key. Parsers build Arrow tables through it, so a value
of the wrong type fails at parse time with the column named, instead of
creating a variant column in DuckDB. The same spec gives dlt its column hints
and `zl build` the DDL for tables no loader has filled yet.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import dlt
import pyarrow as pa

from ingest.scrub import scrub_known

LOADED_AT = "_loaded_at"

# dlt data type -> (Arrow type, DuckDB type)
_TYPES: dict[str, tuple[pa.DataType, str]] = {
    "text": (pa.string(), "VARCHAR"),
    "bigint": (pa.int64(), "BIGINT"),
    "double": (pa.float64(), "DOUBLE"),
    "bool": (pa.bool_(), "BOOLEAN"),
    "date": (pa.date32(), "DATE"),
    "timestamp": (pa.timestamp("us", tz="UTC"), "TIMESTAMP WITH TIME ZONE"),
}


class SchemaError(ValueError):
    """Raised when parsed values do not fit a raw table's declared columns."""


@dataclass(frozen=True)
class Column:
    """One raw column: its name, dlt data type and whether NULL is allowed."""

    name: str
    data_type: str
    nullable: bool = True
    description: str = ""

    def __post_init__(self) -> None:
        if self.data_type not in _TYPES:
            raise SchemaError(
                f"column {self.name!r} has unknown type {self.data_type!r}; "
                f"use one of {sorted(_TYPES)}"
            )

    @property
    def arrow_type(self) -> pa.DataType:
        return _TYPES[self.data_type][0]

    @property
    def duckdb_type(self) -> str:
        return _TYPES[self.data_type][1]


@dataclass(frozen=True)
class TableSpec:
    """A raw table: columns in order, natural key, and a description.

    Every spec gets a trailing `_loaded_at` timestamp, the UTC instant the
    batch was parsed, which dbt source freshness reads.
    """

    name: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...]
    description: str = ""
    _by_name: dict[str, Column] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        names = [c.name for c in self.columns]
        if LOADED_AT in names:
            raise SchemaError(f"{self.name}: {LOADED_AT} is added automatically")
        columns = (*self.columns, Column(LOADED_AT, "timestamp", nullable=False))
        object.__setattr__(self, "columns", columns)
        object.__setattr__(self, "_by_name", {c.name: c for c in columns})
        missing = [k for k in self.primary_key if k not in self._by_name]
        if missing:
            raise SchemaError(f"{self.name}: primary key columns {missing} undeclared")
        for key in self.primary_key:
            if self._by_name[key].nullable:
                raise SchemaError(f"{self.name}: key column {key!r} must be NOT NULL")

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def arrow_schema(self) -> pa.Schema:
        return pa.schema(
            [pa.field(c.name, c.arrow_type, nullable=c.nullable) for c in self.columns]
        )

    def to_arrow(
        self,
        data: Mapping[str, Sequence[Any]] | Iterable[Mapping[str, Any]],
        loaded_at: datetime | None = None,
    ) -> pa.Table:
        """Build an Arrow table with exactly this spec's columns and types.

        Args:
            data: column name -> values, or an iterable of row dicts. Every
                declared column except `_loaded_at` must be present; extra
                keys are an error, so a renamed vendor field cannot slip by.
            loaded_at: the batch's `_loaded_at`; defaults to now in UTC.

        Raises:
            SchemaError: a column is missing or unknown, a value cannot be
                converted to its declared type, or a NOT NULL column has NULLs.
        """
        if not isinstance(data, Mapping):
            data = _rows_to_columns(data, self.column_names[:-1])
        declared = set(self.column_names[:-1])
        unknown = sorted(set(data) - declared - {LOADED_AT})
        missing = sorted(declared - set(data))
        if unknown or missing:
            raise SchemaError(
                f"{self.name}: columns do not match the spec "
                f"(missing {missing}, unexpected {unknown})"
            )
        n_rows = len(next(iter(data.values()))) if data else 0
        stamp = loaded_at or datetime.now(UTC)
        arrays = []
        for column in self.columns:
            if column.name == LOADED_AT:
                values: Sequence[Any] = [stamp] * n_rows
            else:
                values = data[column.name]
            if len(values) != n_rows:
                raise SchemaError(
                    f"{self.name}.{column.name}: {len(values)} values, "
                    f"expected {n_rows}"
                )
            arrays.append(_to_array(self.name, column, values))
        return pa.Table.from_arrays(arrays, schema=self.arrow_schema())

    def empty(self) -> pa.Table:
        return self.arrow_schema().empty_table()

    def dlt_columns(self) -> dict[str, dict[str, Any]]:
        return {
            c.name: {
                "data_type": c.data_type,
                "nullable": c.nullable,
                **({"description": c.description} if c.description else {}),
            }
            for c in self.columns
        }

    def ddl(self, schema: str = "raw") -> str:
        """Return `CREATE TABLE IF NOT EXISTS` for this table in DuckDB SQL."""
        body = ",\n    ".join(
            f'"{c.name}" {c.duckdb_type}' + ("" if c.nullable else " NOT NULL")
            for c in self.columns
        )
        return f'CREATE TABLE IF NOT EXISTS {schema}."{self.name}" (\n    {body}\n)'

    def resource(self, tables: Iterable[pa.Table]) -> Any:
        """Wrap Arrow tables in a dlt resource that merges on the natural key.

        The schema contract freezes columns and data types, so a load whose
        data would add a column or change a type fails instead of evolving.
        """
        return dlt.resource(
            tables,
            name=self.name,
            table_name=self.name,
            primary_key=list(self.primary_key),
            write_disposition="merge",
            columns=self.dlt_columns(),
            schema_contract={
                "tables": "evolve",
                "columns": "freeze",
                "data_type": "freeze",
            },
        )


def _rows_to_columns(
    rows: Iterable[Mapping[str, Any]], names: list[str]
) -> dict[str, list[Any]]:
    columns: dict[str, list[Any]] = {name: [] for name in names}
    for index, row in enumerate(rows):
        extra = set(row) - set(names)
        if extra:
            raise SchemaError(f"row {index}: unexpected keys {sorted(extra)}")
        missing = set(names) - set(row)
        if missing:
            raise SchemaError(f"row {index}: missing keys {sorted(missing)}")
        for name in names:
            columns[name].append(row.get(name))
    return columns


def _to_array(table: str, column: Column, values: Sequence[Any]) -> pa.Array:
    if column.data_type == "text":
        # A vendor may echo a key inside a data field; it is never stored.
        values = [v if not isinstance(v, str) else scrub_known(v) for v in values]
    try:
        array = pa.array(values, type=column.arrow_type, from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError, ValueError) as exc:
        sample = next(
            (v for v in values if v is not None and not _fits(v, column)), None
        )
        raise SchemaError(
            f"{table}.{column.name}: value {sample!r} is not a valid "
            f"{column.data_type} ({exc})"
        ) from exc
    if not column.nullable and array.null_count:
        raise SchemaError(
            f"{table}.{column.name}: {array.null_count} NULL values in a "
            "NOT NULL column"
        )
    return array


def _fits(value: Any, column: Column) -> bool:
    try:
        pa.array([value], type=column.arrow_type)
    except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError, ValueError):
        return False
    return True
