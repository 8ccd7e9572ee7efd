"""Paths, environment settings and secrets.

Secrets come from environment variables first, then from
`.dlt/secrets.toml` through dlt's config providers. They are never logged:
`ingest.scrub` removes them from any text before it reaches a log or error.
"""

from __future__ import annotations

import os
from pathlib import Path

import dlt

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SEEDS_DIR = PROJECT_ROOT / "seeds"
DEFAULT_DUCKDB_PATH = "data/zl.duckdb"

# Every secret the loaders read, keyed by environment variable name. The
# value is the key path in `.dlt/secrets.toml`.
SECRET_NAMES: dict[str, str] = {
    "DATABENTO_API_KEY": "sources.databento.api_key",
    "FRED_API_KEY": "sources.fred.api_key",
    "CFTC_APP_TOKEN": "sources.cftc.app_token",
    "EIA_API_KEY": "sources.eia.api_key",
    "NASS_API_KEY": "sources.usda.nass_api_key",
    "FAS_API_KEY": "sources.usda.fas_api_key",
    "NOAA_TOKEN": "sources.weather.noaa_token",
    "SCRAPECREATORS_API_KEY": "sources.scrapecreators.api_key",
    "MOTHERDUCK_TOKEN": "destination.motherduck.credentials.password",
}


class MissingSecretError(RuntimeError):
    """Raised when a live API needs a key that is configured nowhere."""


def duckdb_path() -> Path:
    """Return the warehouse file: `$ZL_DUCKDB_PATH`, default `data/zl.duckdb`.

    A relative path is taken from the project root, the directory that
    contains `dbt_project.yml`, so the CLI and dbt agree on one file.
    """
    path = Path(os.environ.get("ZL_DUCKDB_PATH", DEFAULT_DUCKDB_PATH))
    if not path.is_absolute():
        path = PROJECT_ROOT / path
    return path


def env_int(name: str, default: int, minimum: int, maximum: int) -> int:
    """Read the integer setting `$name`, `default` when unset.

    Raises:
        ValueError: the value is not an integer from `minimum` to `maximum`.
    """
    raw = os.environ.get(name, str(default))
    try:
        value = int(raw)
    except ValueError:
        value = minimum - 1
    if not minimum <= value <= maximum:
        raise ValueError(
            f"{name}={raw!r} is invalid: use an integer from {minimum} to {maximum}"
        )
    return value


def target() -> str:
    """Return the warehouse target, `$ZL_DBT_TARGET`: `local` or `motherduck`.

    The same variable selects dbt's output in profiles.yml, so the loaders
    and dbt always write to the same warehouse.
    """
    return os.environ.get("ZL_DBT_TARGET", "local")


def motherduck_database() -> str:
    return os.environ.get("ZL_MOTHERDUCK_DATABASE", "zl")


def lock_timeout_s() -> float:
    """Return the maximum wait for the warehouse lock, `$ZL_LOCK_TIMEOUT_S`.

    Raises:
        ValueError: the variable is not a non-negative number of seconds.
    """
    raw = os.environ.get("ZL_LOCK_TIMEOUT_S", "900")
    try:
        seconds = float(raw)
    except ValueError:
        seconds = -1.0
    if not seconds >= 0:
        raise ValueError(
            f"ZL_LOCK_TIMEOUT_S={raw!r} is invalid: use a number of seconds >= 0"
        )
    return seconds


def get_secret(env_name: str, required: bool = True) -> str | None:
    """Read a secret from the environment or `.dlt/secrets.toml`.

    Raises:
        MissingSecretError: `required` is true and the secret is set nowhere.
    """
    value = os.environ.get(env_name)
    if not value:
        toml_key = SECRET_NAMES.get(env_name)
        if toml_key:
            try:
                value = dlt.secrets.get(toml_key)
            except Exception:  # noqa: BLE001 - a broken secrets file reads as unset
                value = None
    if value:
        from ingest.scrub import register_secret

        register_secret(str(value))
        return str(value)
    if required:
        toml_key = SECRET_NAMES.get(env_name, "sources.<name>.api_key")
        raise MissingSecretError(
            f"{env_name} is not set: export it or add {toml_key} to "
            ".dlt/secrets.toml (see .dlt/example.secrets.toml)"
        )
    return None
