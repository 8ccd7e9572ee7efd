"""Removal of keys and tokens from text by `ingest.scrub.scrub`."""

from __future__ import annotations

import pytest

from ingest.scrub import REDACTED, register_secret, scrub

SECRET = "Zq8vN3pL0xW7rT2m"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            f"https://api.example/obs?api_key={SECRET}&file_type=json",
            f"https://api.example/obs?api_key={REDACTED}&file_type=json",
        ),
        (f"?series_id=GDP&token={SECRET}", f"?series_id=GDP&token={REDACTED}"),
        (f"?app_token={SECRET}&$limit=5", f"?app_token={REDACTED}&$limit=5"),
        (f"?$$app_token={SECRET}&$limit=5", f"?$$app_token={REDACTED}&$limit=5"),
        (f"?apikey={SECRET}", f"?apikey={REDACTED}"),
    ],
)
def test_query_params(text: str, expected: str) -> None:
    assert scrub(text) == expected


def test_percent_encoded_app_token() -> None:
    # requests encodes `$` in a parameter name, so a prepared Socrata URL
    # carries `%24%24app_token`.
    text = f"https://data.example/resource.json?%24%24app_token={SECRET}&%24limit=5"
    assert SECRET not in scrub(text)


@pytest.mark.parametrize(
    "text",
    [
        f'{{"api_key": "{SECRET}", "series": "GDP"}}',
        f'{{"api_key":"{SECRET}"}}',
        f"{{'token': '{SECRET}'}}",
        f'{{"app_token": "{SECRET}"}}',
    ],
)
def test_json_fields(text: str) -> None:
    assert SECRET not in scrub(text)


def test_json_keeps_other_fields() -> None:
    text = f'{{"api_key": "{SECRET}", "series": "GDP"}}'
    assert scrub(text) == f'{{"api_key": "{REDACTED}", "series": "GDP"}}'


@pytest.mark.parametrize(
    "text",
    [
        f"x-api-key: {SECRET}",
        f"X-API-Key: {SECRET}",
        f'{{"X-Api-Key": "{SECRET}"}}',
    ],
)
def test_api_key_headers(text: str) -> None:
    assert SECRET not in scrub(text)


def test_authorization_bearer() -> None:
    text = f"Authorization: Bearer {SECRET}"
    assert scrub(text) == f"Authorization: Bearer {REDACTED}"


@pytest.mark.parametrize(
    "text",
    [
        f"{{'Authorization': 'Bearer {SECRET}'}}",
        f'{{"Authorization": "Bearer {SECRET}"}}',
        f"request sent with Bearer {SECRET}",
    ],
)
def test_bearer_outside_header_line(text: str) -> None:
    # A header dict printed by Python or JSON puts a quote between the name
    # and the colon.
    assert SECRET not in scrub(text)


def test_registered_secret() -> None:
    literal = "plain-literal-9f2c41aa"
    register_secret(literal)
    text = f"the vendor echoed {literal} in its body, twice: {literal}"
    assert scrub(text) == f"the vendor echoed {REDACTED} in its body, twice: {REDACTED}"


def test_short_secret_not_registered() -> None:
    register_secret("abc")
    assert scrub("abc abcdef") == "abc abcdef"


@pytest.mark.parametrize(
    "text",
    [
        "primary_key=trade_date",
        "primary_key: trade_date",
        "the monkey: ran off",
        "monkey=1",
        "turnkey=yes",
        "tokenizer=basic",
        "price 12.5 on 2024-01-02",
    ],
)
def test_ordinary_words_untouched(text: str) -> None:
    assert scrub(text) == text


def test_non_string_input() -> None:
    assert scrub(ValueError(f"bad token={SECRET}")) == f"bad token={REDACTED}"
