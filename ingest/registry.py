"""Discovery of source packages: every `ingest/<name>/` with a `SOURCE`."""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache

import ingest
from ingest.source import SourceSpec


class UnknownSourceError(KeyError):
    """Raised for a source name that no package under `ingest/` defines."""

    def __str__(self) -> str:
        return str(self.args[0])


@cache
def sources() -> dict[str, SourceSpec]:
    """Return every source by name, in a stable (alphabetical) order."""
    found: dict[str, SourceSpec] = {}
    for module in pkgutil.iter_modules(ingest.__path__):
        if not module.ispkg:
            continue
        package = importlib.import_module(f"ingest.{module.name}")
        spec = getattr(package, "SOURCE", None)
        if isinstance(spec, SourceSpec):
            found[spec.name] = spec
    return dict(sorted(found.items()))


def get_source(name: str) -> SourceSpec:
    try:
        return sources()[name]
    except KeyError:
        known = ", ".join(sources()) or "none"
        raise UnknownSourceError(
            f"unknown source {name!r}; known sources: {known}"
        ) from None
