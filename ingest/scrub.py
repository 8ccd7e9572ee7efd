"""Removal of API keys and tokens from text before it is logged or stored.

Vendors put keys in query strings (FRED `api_key`, EIA `api_key`, Socrata
`$$app_token`) and some echo them back in response bodies, so every URL,
error message and saved body passes through `scrub` first.
"""

from __future__ import annotations

import re

REDACTED = "***"

_known_secrets: set[str] = set()

# Query-string or JSON fields whose value is a credential. `$$` may arrive
# percent-encoded (`%24%24app_token`) in a URL that requests prepared.
_SECRET_FIELD = re.compile(
    r"""(?ix)
    (?P<key>(?<![\w$])["']?(?:api[_-]?key|apikey|token|(?:\$\$|%24%24)?app[_-]?token|
        access[_-]?token|motherduck_token|password|secret)["']?
        \s*[=:]\s*["']?)
    (?P<value>[^&"'\s,}]+)
    """
)
# A bare `key=` only as a query parameter, so prose such as "primary key:"
# keeps its next word.
_KEY_PARAM = re.compile(r"(?i)(?P<key>[?&]key=)(?P<value>[^&\s\"']+)")
_BEARER = re.compile(
    r"""(?ix)
    ((?:authorization["']?\s*[:=]\s*["']?(?:bearer|basic)|\bbearer)\s+)
    [^\s"',}]+
    """
)


def register_secret(value: str) -> None:
    """Remember a secret's literal value so it is removed wherever it appears."""
    if value and len(value) >= 4:
        _known_secrets.add(value)


def scrub(text: object) -> str:
    """Return `text` as a string with every known or recognisable key removed."""
    result = str(text)
    for secret in sorted(_known_secrets, key=len, reverse=True):
        result = result.replace(secret, REDACTED)
    result = _SECRET_FIELD.sub(lambda m: m.group("key") + REDACTED, result)
    result = _KEY_PARAM.sub(lambda m: m.group("key") + REDACTED, result)
    return _BEARER.sub(lambda m: m.group(1) + REDACTED, result)
