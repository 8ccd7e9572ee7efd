"""Schedule files and cron expressions: parsing, defaults and validation."""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from ingest.registry import sources
from ingest.scheduler.config import DEFAULT_SCHEDULE_PATH, ScheduleError, load_schedule
from ingest.scheduler.cron import CronError, parse_cron, render_values

NEW_YORK = ZoneInfo("America/New_York")
KNOWN = ("cftc", "fred", "prices")


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "schedule.yml"
    path.write_text(text, encoding="utf-8")
    return path


def load(tmp_path: Path, text: str, known: tuple[str, ...] = KNOWN):
    return load_schedule(write(tmp_path, text), known_sources=known)


MINIMAL = """
timezone: America/New_York
jobs:
  fred:
    cron: "0 18 * * *"
    retries: 3
    max_backoff_seconds: 1800
"""


# --- cron -------------------------------------------------------------------


def test_cron_weekday_zero_is_sunday():
    spec = parse_cron("0 10 * * 0")
    fire = spec.trigger(NEW_YORK).get_next_fire_time(
        None, datetime(2025, 1, 6, tzinfo=NEW_YORK)
    )
    assert fire.strftime("%A") == "Sunday"


def test_cron_weekday_seven_is_sunday():
    assert parse_cron("0 10 * * 7").weekday.values == frozenset({0})


def test_cron_weekday_one_is_monday():
    fire = (
        parse_cron("0 10 * * 1")
        .trigger(NEW_YORK)
        .get_next_fire_time(None, datetime(2025, 1, 7, tzinfo=NEW_YORK))
    )
    assert fire == datetime(2025, 1, 13, 10, 0, tzinfo=NEW_YORK)


def test_cron_names_and_ranges():
    spec = parse_cron("*/15 9-17 * jan-mar mon-fri")
    assert spec.minute.values == frozenset({0, 15, 30, 45})
    assert spec.hour.values == frozenset(range(9, 18))
    assert spec.month.values == frozenset({1, 2, 3})
    assert spec.weekday.values == frozenset({1, 2, 3, 4, 5})


def test_cron_friday_release():
    fire = (
        parse_cron("45 15 * * fri")
        .trigger(NEW_YORK)
        .get_next_fire_time(None, datetime(2025, 3, 3, tzinfo=NEW_YORK))
    )
    assert fire == datetime(2025, 3, 7, 15, 45, tzinfo=NEW_YORK)


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("0 * * *", "has 4 fields"),
        ("61 * * * *", "out of range 0-59"),
        ("0 24 * * *", "out of range 0-23"),
        ("0 0 * * 8", "out of range 0-7"),
        ("x * * * *", "invalid value 'x'"),
        ("*/0 * * * *", "invalid step"),
        ("5-1 * * * *", "invalid range"),
        ("0 0 1 * mon", "restricts both day of month and day of week"),
        ("0 0 L * *", "invalid value 'L'"),
    ],
)
def test_cron_invalid(expression, message):
    with pytest.raises(CronError, match=message):
        parse_cron(expression)


def test_render_values_ranges():
    assert render_values({1, 2, 3, 5, 7, 8}, 0, 23) == "1-3,5,7,8"


def test_render_values_full_range():
    assert render_values(set(range(24)), 0, 23) == "*"


# --- schedule files -------------------------------------------------------------


def test_minimal_schedule(tmp_path):
    job = load(tmp_path, MINIMAL).job("fred")
    assert job.kind == "source"
    assert job.source == "fred"
    assert job.timezone == "America/New_York"
    assert job.attempts == 4
    assert job.max_backoff_s == 1800
    assert job.base_backoff_s == 60


def test_unscheduled_sources_warned(tmp_path, caplog):
    with caplog.at_level(logging.WARNING):
        schedule = load(tmp_path, MINIMAL)
    assert schedule.unscheduled == ("cftc", "prices")
    assert "source cftc has no job" in caplog.text
    # prices has no live API, so no job could load it.
    assert "prices" not in caplog.text


def test_job_timezone_overrides_default(tmp_path):
    text = MINIMAL + '    timezone: "Europe/London"\n'
    assert load(tmp_path, text).job("fred").timezone == "Europe/London"


def test_unknown_source_names_job(tmp_path):
    text = MINIMAL + '  newsfeed:\n    cron: "0 * * * *"\n'
    with pytest.raises(ScheduleError, match="job 'newsfeed': unknown source"):
        load(tmp_path, text)


def test_source_key_selects_source(tmp_path):
    text = MINIMAL + '  fred_late:\n    source: fred\n    cron: "0 23 * * *"\n'
    assert load(tmp_path, text).job("fred_late").source == "fred"


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ('cron: "0 25 * * *"', "job 'fred': invalid cron"),
        ("timezone: Mars/Olympus", "job 'fred': unknown time zone 'Mars/Olympus'"),
        ("retries: -1", "job 'fred': retries must be a whole number >= 0"),
        ("retries: 1.5", "retries must be a whole number"),
        ("max_backoff_seconds: -5", "max_backoff_seconds must be >= 0"),
        ("base_backoff_seconds: 7200", "is below base_backoff_seconds"),
        ("every_seconds: 5", "exactly one of `cron` or `every_seconds`"),
        ("retry: 3", "unknown setting\\(s\\) retry"),
        ("kind: nightly", "kind 'nightly' is invalid"),
        ("allow_stale: yes please", "allow_stale must be true or false"),
        ("after: features", "`after` applies to matrix jobs only"),
    ],
)
def test_invalid_job_setting(tmp_path, setting, message):
    with pytest.raises(ScheduleError, match=message):
        load(tmp_path, MINIMAL + f"    {setting}\n")


def test_unknown_top_level_timezone(tmp_path):
    text = MINIMAL.replace("America/New_York", "America/Nowhere")
    with pytest.raises(ScheduleError, match="the top level: unknown time zone"):
        load(tmp_path, text)


def test_missing_file(tmp_path):
    with pytest.raises(ScheduleError, match="not found"):
        load_schedule(tmp_path / "absent.yml", known_sources=KNOWN)


def test_not_yaml(tmp_path):
    with pytest.raises(ScheduleError, match="invalid YAML"):
        load(tmp_path, "jobs: [unclosed")


def test_empty_jobs(tmp_path):
    with pytest.raises(ScheduleError, match="`jobs:` is empty"):
        load(tmp_path, "jobs: {}\n")


def test_matrix_needs_features_job(tmp_path):
    text = (
        MINIMAL
        + '  matrix:\n    kind: matrix\n    after: fred\n    cron: "0 4 * * *"\n'
    )
    with pytest.raises(ScheduleError, match="`after` must name a features job"):
        load(tmp_path, text)


def test_waits_for_unscheduled_source(tmp_path):
    text = (
        MINIMAL
        + '  features:\n    kind: features\n    cron: "0 3 * * *"\n'
        + "    waits_for: [cftc]\n"
    )
    with pytest.raises(ScheduleError, match="waits_for names 'cftc'"):
        load(tmp_path, text)


def test_unknown_job_name(tmp_path):
    with pytest.raises(ScheduleError, match="no job named 'eia'; jobs: fred"):
        load(tmp_path, MINIMAL).job("eia")


def test_previous_fire_weekly(tmp_path):
    text = MINIMAL.replace('"0 18 * * *"', '"45 15 * * fri"')
    job = load(tmp_path, text).job("fred")
    tuesday = datetime(2025, 3, 11, 3, 0, tzinfo=NEW_YORK)
    assert job.previous_fire(tuesday) == datetime(2025, 3, 7, 15, 45, tzinfo=NEW_YORK)


def test_previous_fire_at_fire_time(tmp_path):
    job = load(tmp_path, MINIMAL).job("fred")
    at = datetime(2025, 3, 11, 18, 0, tzinfo=NEW_YORK)
    assert job.previous_fire(at) == at


# --- the shipped schedules.yml ------------------------------------------------------

SHIPPED = {
    "databento": ("0 * * * *", 3, 3600),
    "fred": ("0 18 * * *", 3, 1800),
    "news": ("0 * * * *", 3, 1800),
    "truthsocial": ("0 * * * *", 3, 1800),
    "usda": ("0 10 * * mon", 3, 3600),
    "cftc": ("45 15 * * fri", 3, 3600),
    "eia": ("45 10 * * wed", 3, 3600),
    "weather": ("0 2 * * *", 3, 1800),
    "features": ("0 3 * * *", 2, 3600),
    "daily_ml_matrix": ("0 4 * * *", 2, 3600),
}


@pytest.fixture(scope="module")
def shipped():
    return load_schedule(DEFAULT_SCHEDULE_PATH)


def test_shipped_sources_in_registry(shipped):
    assert set(shipped.scheduled_sources()) <= set(sources())


@pytest.mark.parametrize("name", sorted(SHIPPED))
def test_shipped_job(shipped, name):
    cron, retries, cap = SHIPPED[name]
    job = shipped.job(name)
    assert job.cron.expression == cron
    assert job.retries == retries
    assert job.max_backoff_s == cap
    assert job.timezone == "America/New_York"


def test_shipped_has_no_prices_job(shipped):
    assert "prices" in shipped.unscheduled


def test_shipped_matrix_after_features(shipped):
    assert shipped.job("daily_ml_matrix").after == "features"


def test_shipped_matrix_selection(shipped):
    assert shipped.job("daily_ml_matrix").select == ("daily_ml_matrix+",)
