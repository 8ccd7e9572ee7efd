"""Access to the DuckDB warehouse file under a cross-process lock.

DuckDB lets one process hold a database file read-write, and any second
opener fails at once with "Could not set lock on file". Loaders therefore
parse in parallel and take `write_lock` only around the short load step;
`zl build` and `zl status` take it too. The lock is an `flock` on a sibling
`.lock` file, so it is released by the kernel if a process dies, and a
waiter gives up after `ZL_LOCK_TIMEOUT_S` seconds with a clear error.
"""

from __future__ import annotations

import fcntl
import logging
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import dlt
import duckdb

from ingest.settings import (
    duckdb_path,
    get_secret,
    lock_timeout_s,
    motherduck_database,
    target,
)

log = logging.getLogger(__name__)

SCHEMAS = ("raw", "staging", "features", "training", "ops")
_POLL_S = 0.05


class LockTimeoutError(TimeoutError):
    """Raised when the warehouse lock is still held after the maximum wait."""


class TargetUnavailableError(RuntimeError):
    """Raised when the configured warehouse target cannot be used."""


def check_target() -> None:
    """Fail fast when the configured target cannot work.

    For `motherduck`: the token must be set and DuckDB's motherduck
    extension must already be installed; it is not downloaded here.

    Raises:
        MissingSecretError: MOTHERDUCK_TOKEN is not set.
        TargetUnavailableError: an unknown target, or no motherduck extension.
    """
    name = target()
    if name in ("local", "lint"):
        return
    if name != "motherduck":
        raise TargetUnavailableError(
            f"ZL_DBT_TARGET={name!r} is invalid: use local or motherduck"
        )
    get_secret("MOTHERDUCK_TOKEN")
    config = {"autoinstall_known_extensions": False}
    try:
        with duckdb.connect(":memory:", config=config) as con:
            con.execute("LOAD motherduck")
    except duckdb.Error as exc:
        raise TargetUnavailableError(
            "the MotherDuck target needs DuckDB's motherduck extension, which "
            f"could not be loaded ({exc}); run `INSTALL motherduck` with "
            "internet access, or set ZL_DBT_TARGET=local"
        ) from None


def open_database(db_path: Path, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Connect to the configured target: the DuckDB file or MotherDuck."""
    if target() == "motherduck":
        token = get_secret("MOTHERDUCK_TOKEN")
        return duckdb.connect(
            f"md:{motherduck_database()}", config={"motherduck_token": token}
        )
    db_path.parent.mkdir(parents=True, exist_ok=True)
    return duckdb.connect(str(db_path), read_only=read_only)


def dlt_destination(db_path: Path) -> Any:
    """Return dlt's destination for the configured target."""
    if target() == "motherduck":
        token = get_secret("MOTHERDUCK_TOKEN")
        return dlt.destinations.motherduck(
            f"md:{motherduck_database()}?motherduck_token={token}"
        )
    return dlt.destinations.duckdb(str(db_path))


def lock_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".lock")


@contextmanager
def write_lock(
    db_path: Path | None = None, holder: str = "", timeout_s: float | None = None
) -> Iterator[float]:
    """Hold the exclusive warehouse lock; yield the seconds spent waiting.

    Raises:
        LockTimeoutError: the lock was not free within `timeout_s`
            (default `ZL_LOCK_TIMEOUT_S`, 900 s).
    """
    db_path = db_path or duckdb_path()
    timeout_s = lock_timeout_s() if timeout_s is None else timeout_s
    path = lock_path(db_path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    started = time.monotonic()
    announced = False
    try:
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                waited = time.monotonic() - started
                if waited >= timeout_s:
                    raise LockTimeoutError(
                        f"{holder or 'process'}: warehouse lock {path} still held "
                        f"after {waited:.0f} s; another load or build is running. "
                        "Raise ZL_LOCK_TIMEOUT_S or retry later."
                    ) from None
                if not announced:
                    log.info("%s: waiting for warehouse lock %s", holder, path)
                    announced = True
                time.sleep(_POLL_S)
        waited = time.monotonic() - started
        if announced:
            log.info("%s: acquired warehouse lock after %.2f s", holder, waited)
        yield waited
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


@contextmanager
def connect(
    db_path: Path | None = None,
    holder: str = "",
    read_only: bool = False,
    timeout_s: float | None = None,
) -> Iterator[duckdb.DuckDBPyConnection]:
    """Open the warehouse under the lock and close it before releasing.

    Readers take the lock too, because DuckDB refuses any second opener of
    a file that a writer holds, even a read-only one.
    """
    db_path = db_path or duckdb_path()
    with write_lock(db_path, holder, timeout_s):
        if read_only and target() == "local" and not db_path.exists():
            raise FileNotFoundError(
                f"warehouse {db_path} does not exist yet; run `zl load` first"
            )
        con = open_database(db_path, read_only)
        try:
            yield con
        finally:
            con.close()


def ensure_schemas(con: duckdb.DuckDBPyConnection) -> None:
    for schema in SCHEMAS:
        con.execute(f"CREATE SCHEMA IF NOT EXISTS {schema}")
