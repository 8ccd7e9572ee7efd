"""Removal of API keys and tokens from text before it is logged or stored.

Vendors put keys in query strings (FRED `api_key`, EIA `api_key`, Socrata
`$$app_token`) and some echo them back in response bodies, so every URL,
error message and saved body passes through `scrub` first.
"""

from __future__ import annotations

import base64
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
    """Remember a secret so it is removed wherever it appears.

    Also registers the forms a client may send or a server may echo: lower
    and upper case, and base64 of `key` and `key:` (HTTP Basic auth with the
    key as user name, as the Databento client sends it).
    """
    if not value or len(value) < 4:
        return
    for form in (value, value.lower(), value.upper()):
        _known_secrets.add(form)
    for raw in (value, value + ":"):
        encoded = base64.b64encode(raw.encode()).decode()
        _known_secrets.add(encoded)
        _known_secrets.add(encoded.rstrip("="))


def scrub_known(text: str) -> str:
    """Return `text` with every registered secret replaced; a cheap pass for data."""
    for secret in sorted(_known_secrets, key=len, reverse=True):
        if secret in text:
            text = text.replace(secret, REDACTED)
    return text


def scrub(text: object) -> str:
    """Return `text` as a string with every known or recognisable key removed."""
    result = scrub_known(str(text))
    result = _SECRET_FIELD.sub(lambda m: m.group("key") + REDACTED, result)
    result = _KEY_PARAM.sub(lambda m: m.group("key") + REDACTED, result)
    return _BEARER.sub(lambda m: m.group(1) + REDACTED, result)
