"""An incremental build gives the same rows as a full refresh.

The demo data are loaded up to the day before their last day and built in
full. The last day is then loaded on its own and built incrementally. A
copy of that warehouse is rebuilt with `full_refresh=True`, and every
incremental model must hold exactly the same rows in both, compared with
EXCEPT ALL both ways. The matrix built on them must match too.
"""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest

from ingest.build import (
    DbtResult,
    DbtSession,
    build,
    daily_skipped_tests,
    mark_started,
    plan_build,
    record_build,
)
from ingest.demo import DEMO_END, write_landing
from ingest.runner import load_many
from ingest.scheduler.jobs import build_nodes
from ingest.settings import PROJECT_ROOT
from ingest.source import Window
from ingest.unchanged import node_digests

pytestmark = pytest.mark.dbt

LAST_DAY = DEMO_END
INCREMENTAL_MODELS = (
    "staging.fred_macro_clean",
    "staging.weather_regions_aggregated",
    "staging.trump_policy_intelligence",
    "staging.news_bucketed",
    "staging.truthsocial_posts",
    "features.macro_features_daily",
    "features.sentiment_features_daily",
)


def _load(landing: Path, db_path: Path, window: Window, names: list[str]) -> None:
    results = load_many(names, landing, window=window, db_path=db_path)
    failed = [r.message for r in results if r.status == "failed"]
    assert failed == []


@pytest.fixture(scope="module")
def warehouses(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Return (incremental warehouse, full-refresh copy of it)."""
    folder = tmp_path_factory.mktemp("incremental")
    landing = folder / "landing"
    names = sorted(write_landing(landing))
    incremental = folder / "incremental" / "zl.duckdb"
    incremental.parent.mkdir()

    _load(landing, incremental, Window(end=LAST_DAY - timedelta(days=1)), names)
    build(incremental)
    _load(landing, incremental, Window(start=LAST_DAY, end=LAST_DAY), names)
    build(incremental)

    full = folder / "full" / "zl.duckdb"
    full.parent.mkdir()
    shutil.copy(incremental, full)
    build(full, full_refresh=True)
    return incremental, full


def _builds(db_path: Path) -> list[tuple[bool, str]]:
    with duckdb.connect(str(db_path), read_only=True) as con:
        return con.execute(
            "select full_refresh, reason from ops.dbt_builds order by built_at"
        ).fetchall()


def test_second_build_is_incremental(warehouses: tuple[Path, Path]) -> None:
    incremental, _ = warehouses
    builds = _builds(incremental)
    assert len(builds) == 2
    # A failure here can also mean that a model file changed between the
    # two builds, which forces a full refresh.
    assert builds[-1] == (False, "incremental")


def test_full_refresh_is_recorded(warehouses: tuple[Path, Path]) -> None:
    _, full = warehouses
    assert _builds(full)[-1] == (True, "full refresh requested")


def test_last_day_was_loaded(warehouses: tuple[Path, Path]) -> None:
    incremental, _ = warehouses
    with duckdb.connect(str(incremental), read_only=True) as con:
        (last,) = con.execute(
            "select max(observation_date) from staging.weather_regions_aggregated"
        ).fetchone()
    assert last == LAST_DAY


def _comparable_columns(con: duckdb.DuckDBPyConnection, relation: str) -> str:
    """Return a select list with floating-point columns rounded to 9 decimals.

    Sums over parallel windows and aggregates may differ in the last bit
    between an incremental build and a full refresh (seen: 5e-18), so
    doubles are compared rounded and every other column exactly.
    """
    schema, table = relation.split(".")
    rows = con.execute(
        "select column_name, data_type from information_schema.columns "
        "where table_catalog = current_database() and table_schema = ? "
        "and table_name = ? order by ordinal_position",
        [schema, table],
    ).fetchall()
    return ", ".join(
        f'round("{name}", 9)' if kind in ("DOUBLE", "FLOAT") else f'"{name}"'
        for name, kind in rows
    )


@pytest.mark.parametrize("relation", INCREMENTAL_MODELS)
def test_same_rows_as_full_refresh(
    warehouses: tuple[Path, Path], relation: str
) -> None:
    incremental, full = warehouses
    with duckdb.connect(str(incremental), read_only=True) as con:
        con.execute(f"attach '{full}' as full_refresh (read_only)")
        (rows,) = con.execute(f"select count(*) from {relation}").fetchone()
        columns = _comparable_columns(con, relation)
        (only_incremental,) = con.execute(
            f"select count(*) from (select {columns} from {relation} "
            f"except all select {columns} from full_refresh.{relation})"
        ).fetchone()
        (only_full,) = con.execute(
            f"select count(*) from (select {columns} from full_refresh.{relation} "
            f"except all select {columns} from {relation})"
        ).fetchone()
    assert rows > 0
    assert only_incremental == 0
    assert only_full == 0


def _matrix(db_path: Path) -> pd.DataFrame:
    with duckdb.connect(str(db_path), read_only=True) as con:
        return con.execute(
            "select * from features.daily_ml_matrix order by trade_date"
        ).df()


def test_matrix_same_as_full_refresh(warehouses: tuple[Path, Path]) -> None:
    # The matrix itself is a table, rebuilt in both warehouses from the
    # same inputs. Parallel floating-point sums may differ in the last bit
    # between two builds, so floats are compared with a tolerance.
    incremental, full = (_matrix(path) for path in warehouses)
    assert list(incremental.columns) == list(full.columns)
    assert len(incremental) == len(full)
    for column in full.columns:
        left, right = incremental[column], full[column]
        if pd.api.types.is_float_dtype(left):
            same = np.isclose(left, right, rtol=1e-12, atol=1e-12, equal_nan=True)
        else:
            same = ((left == right) | (left.isna() & right.isna())).to_numpy()
        changed = full.loc[~same, "trade_date"].tolist()
        assert changed == [], f"{column} differs on {changed[:5]}"


def test_fred_rows_public_by_decision(warehouses: tuple[Path, Path]) -> None:
    incremental, _ = warehouses
    with duckdb.connect(str(incremental), read_only=True) as con:
        (late,) = con.execute(
            "select count(*) from staging.fred_macro_clean "
            "where available_at > decision_at"
        ).fetchone()
    assert late == 0


def _ran_tests(db_path: Path) -> set[str]:
    path = db_path.parent / "dbt" / "target" / "run_results.json"
    results = json.loads(path.read_text())["results"]
    return {
        r["unique_id"].split(".")[2]
        for r in results
        if r["unique_id"].startswith("test.")
    }


def test_daily_path_tests_rebuilt_models(warehouses: tuple[Path, Path]) -> None:
    incremental, _ = warehouses
    ran = _ran_tests(incremental)
    assert "unique_daily_ml_matrix_trade_date" in ran
    # The catalogue is left alone, but the test also reads the rebuilt matrix.
    assert "feature_catalogue_matches_matrix" in ran
    assert "matrix_values_public_by_decision" in ran


def test_daily_path_tests_raw_sources(warehouses: tuple[Path, Path]) -> None:
    incremental, _ = warehouses
    assert "source_unique_raw_truthsocial_scrapecreators_trump_post_id" in _ran_tests(
        incremental
    )


def test_daily_path_skips_tests_of_unchanged(warehouses: tuple[Path, Path]) -> None:
    incremental, _ = warehouses
    manifest = incremental.parent / "dbt" / "target" / "manifest.json"
    nodes = json.loads(manifest.read_text())
    skipped = daily_skipped_tests(nodes, {"model.zl.eia_weekly"})
    assert "not_null_eia_weekly_available_at" in skipped
    assert "not_null_eia_weekly_available_at" not in _ran_tests(incremental)


def test_complete_builds_leave_no_incomplete_row(
    warehouses: tuple[Path, Path],
) -> None:
    incremental, _ = warehouses
    with duckdb.connect(str(incremental), read_only=True) as con:
        (rows,) = con.execute(
            "select count(*) from ops.dbt_incomplete_builds"
        ).fetchone()
    assert rows == 0


def _built_models(db_path: Path) -> set[str]:
    path = db_path.parent / "dbt" / "target" / "run_results.json"
    results = json.loads(path.read_text())["results"]
    return {
        r["unique_id"].rsplit(".", 1)[-1]
        for r in results
        if r["unique_id"].startswith("model.")
    }


def test_daily_build_leaves_unchanged_models(warehouses: tuple[Path, Path]) -> None:
    incremental, _ = warehouses
    # The last demo day adds no EIA rows, so their staging models stay.
    assert "eia_weekly" not in _built_models(incremental)


def test_daily_build_rebuilds_models_with_new_rows(
    warehouses: tuple[Path, Path],
) -> None:
    incremental, _ = warehouses
    assert "market_daily" in _built_models(incremental)


def test_daily_build_rebuilds_clock_models(warehouses: tuple[Path, Path]) -> None:
    incremental, _ = warehouses
    assert "fred_macro_clean" in _built_models(incremental)


def test_every_table_same_as_full_refresh(warehouses: tuple[Path, Path]) -> None:
    # Left-alone models must hold what a full refresh writes, like rebuilt ones.
    incremental, full = warehouses
    differing = []
    with duckdb.connect(str(incremental), read_only=True) as con:
        con.execute(f"attach '{full}' as full_refresh (read_only)")
        tables = con.execute(
            "select table_schema || '.' || table_name from information_schema.tables "
            "where table_catalog = current_database() and table_type = 'BASE TABLE' "
            "and table_schema in ('staging', 'features')"
        ).fetchall()
        for (relation,) in tables:
            columns = _comparable_columns(con, relation)
            (only_one_side,) = con.execute(
                f"select count(*) from ((select {columns} from {relation} "
                f"except all select {columns} from full_refresh.{relation}) "
                f"union all (select {columns} from full_refresh.{relation} "
                f"except all select {columns} from {relation}))"
            ).fetchone()
            if only_one_side:
                differing.append(relation)
    assert len(tables) > 20
    assert differing == []


@pytest.fixture
def plan_copy(warehouses: tuple[Path, Path], tmp_path: Path) -> Path:
    """Return a copy of the incremental warehouse, for plans that edit it."""
    incremental, _ = warehouses
    copy = tmp_path / "zl.duckdb"
    shutil.copy(incremental, copy)
    return copy


def _unchanged(db_path: Path, manifest_from: Path) -> list[str]:
    manifest = manifest_from.parent / "dbt" / "target" / "manifest.json"
    with duckdb.connect(str(db_path)) as con:
        return plan_build(con, manifest).unchanged_nodes


def _unchanged_after(db_path: Path, manifest_from: Path, edit: str) -> list[str]:
    """Run the SQL statement `edit` on `db_path` and return the unchanged nodes."""
    with duckdb.connect(str(db_path)) as con:
        con.execute(edit)
    return _unchanged(db_path, manifest_from)


def test_plan_leaves_model_without_new_rows(
    warehouses: tuple[Path, Path], plan_copy: Path
) -> None:
    assert "usda_wasde" in _unchanged(plan_copy, warehouses[0])


def test_plan_rebuilds_model_with_replaced_row(
    warehouses: tuple[Path, Path], plan_copy: Path
) -> None:
    # A loader that replaces a row writes it with a new _loaded_at.
    unchanged = _unchanged_after(
        plan_copy,
        warehouses[0],
        "update raw.usda_wasde set _loaded_at = now() "
        "where rowid = (select min(rowid) from raw.usda_wasde)",
    )
    assert "usda_wasde" not in unchanged


def test_plan_rebuilds_downstream_of_rebuilt_model(
    warehouses: tuple[Path, Path], plan_copy: Path
) -> None:
    # technical_indicators reads only market_daily, which reads the bars.
    before = _unchanged(plan_copy, warehouses[0])
    after = _unchanged_after(
        plan_copy,
        warehouses[0],
        "update raw.databento_futures_ohlcv_1d set _loaded_at = now() "
        "where rowid = (select min(rowid) from raw.databento_futures_ohlcv_1d)",
    )
    assert "technical_indicators_us_oil_solutions" in before
    assert "technical_indicators_us_oil_solutions" not in after


def test_plan_rebuilds_model_whose_code_changed(
    warehouses: tuple[Path, Path], plan_copy: Path
) -> None:
    unchanged = _unchanged_after(
        plan_copy,
        warehouses[0],
        "update ops.dbt_model_watermarks set code_digest = 'edited' "
        "where model = 'usda_wasde'",
    )
    assert "usda_wasde" not in unchanged


def test_plan_rebuilds_dropped_model(
    warehouses: tuple[Path, Path], plan_copy: Path
) -> None:
    unchanged = _unchanged_after(
        plan_copy, warehouses[0], "drop table staging.usda_wasde"
    )
    assert "usda_wasde" not in unchanged


def test_plan_rebuilds_child_of_later_parent(
    warehouses: tuple[Path, Path], plan_copy: Path
) -> None:
    # A parent rebuilt after its child (a --select build, or a failed
    # child) must not leave the child behind.
    unchanged = _unchanged_after(
        plan_copy,
        warehouses[0],
        "update ops.dbt_model_watermarks set lock_acquired_at = now() "
        "where model = 'market_daily'",
    )
    assert "market_daily" in unchanged
    assert "technical_indicators_us_oil_solutions" not in unchanged


def test_plan_reloads_changed_seed(
    warehouses: tuple[Path, Path], plan_copy: Path
) -> None:
    before = _unchanged(plan_copy, warehouses[0])
    after = _unchanged_after(
        plan_copy,
        warehouses[0],
        "update ops.dbt_model_watermarks set code_digest = 'edited' "
        "where model = 'cftc_markets'",
    )
    assert "cftc_markets" in before
    assert "cftc_cot" in before
    assert "cftc_markets" not in after
    assert "cftc_cot" not in after


def test_plan_after_failed_build_leaves_nothing(
    warehouses: tuple[Path, Path], plan_copy: Path
) -> None:
    manifest = warehouses[0].parent / "dbt" / "target" / "manifest.json"
    with duckdb.connect(str(plan_copy)) as con:
        plan = plan_build(con, manifest)
        record_build(con, plan, DbtResult(success=False), None)
    assert _unchanged(plan_copy, warehouses[0]) == []


def _edited_manifest(manifest_from: Path, folder: Path, edit_model: str) -> Path:
    """Write a manifest copy with `edit_model`'s checksum changed; return its path."""
    manifest = json.loads(
        (manifest_from.parent / "dbt" / "target" / "manifest.json").read_text()
    )
    manifest["nodes"][f"model.zl.{edit_model}"]["checksum"]["checksum"] = "edited"
    path = folder / "edited_manifest.json"
    path.write_text(json.dumps(manifest))
    return path


def test_fingerprint_follows_parsed_code(
    warehouses: tuple[Path, Path], plan_copy: Path, tmp_path: Path
) -> None:
    # The files on disk stay the same and only the parsed manifest differs,
    # as after a file is saved between dbt's parse and the end of a build.
    manifest = warehouses[0].parent / "dbt" / "target" / "manifest.json"
    edited = _edited_manifest(warehouses[0], tmp_path, "fred_macro_clean")
    with duckdb.connect(str(plan_copy)) as con:
        plan = plan_build(con, manifest)
        record_build(con, plan, DbtResult(success=True), None)
        same = plan_build(con, manifest)
        after_edit = plan_build(con, edited)
    assert not same.full_refresh
    assert after_edit.full_refresh
    assert after_edit.reason == "code of incremental models or their inputs changed"


def test_session_keeps_its_parsed_manifest(
    warehouses: tuple[Path, Path], plan_copy: Path, tmp_path: Path
) -> None:
    # Another process's parse may rewrite manifest.json between this
    # session's parse and its plan. The plan must use this session's.
    session = DbtSession(plan_copy)
    session.parse()
    manifest = plan_copy.parent / "dbt" / "target" / "manifest.json"
    edited = _edited_manifest(warehouses[0], tmp_path, "fred_macro_clean")
    shutil.copy(edited, manifest)
    with duckdb.connect(str(plan_copy)) as con:
        from_session = plan_build(con, manifest, manifest=session.manifest)
        from_file = plan_build(con, manifest)
    assert not from_session.full_refresh
    assert from_file.full_refresh


def test_fingerprint_ignores_code_outside_incremental_inputs(
    warehouses: tuple[Path, Path], plan_copy: Path, tmp_path: Path
) -> None:
    # daily_ml_matrix is a table built downstream of every incremental model.
    edited = _edited_manifest(warehouses[0], tmp_path, "daily_ml_matrix")
    with duckdb.connect(str(plan_copy)) as con:
        plan = plan_build(con, edited)
    assert not plan.full_refresh


def test_plan_after_killed_build_leaves_nothing(
    warehouses: tuple[Path, Path], plan_copy: Path
) -> None:
    # A killed build never reaches record_build, so only its start is recorded.
    with duckdb.connect(str(plan_copy)) as con:
        mark_started(con, datetime.now(UTC), [])
    assert _unchanged(plan_copy, warehouses[0]) == []


def test_selected_build_runs_its_tests(plan_copy: Path) -> None:
    build(plan_copy, select=["usda_wasde"])
    path = plan_copy.parent / "dbt" / "target" / "run_results.json"
    ran = [r["unique_id"] for r in json.loads(path.read_text())["results"]]
    tests = [name for name in ran if name.startswith("test.zl.")]
    assert "model.zl.usda_wasde" in ran
    assert tests
    assert all("usda_wasde" in name for name in tests)


def test_scheduled_build_marks_incomplete(plan_copy: Path) -> None:
    build_nodes(plan_copy, "job test", ["cftc_cot"])
    with duckdb.connect(str(plan_copy), read_only=True) as con:
        (selection,) = con.execute(
            "select selection from ops.dbt_incomplete_builds"
        ).fetchone()
    assert selection == "cftc_cot"


def test_edited_test_changes_digest(warehouses: tuple[Path, Path]) -> None:
    path = warehouses[0].parent / "dbt" / "target" / "manifest.json"
    manifest = json.loads(path.read_text())
    project_file = PROJECT_ROOT / "dbt_project.yml"
    before = node_digests(manifest, project_file)
    test = next(
        node
        for node in manifest["nodes"].values()
        if node["resource_type"] == "test"
        and node["depends_on"]["nodes"] == ["model.zl.usda_wasde"]
    )
    test["raw_code"] += " -- edited"
    after = node_digests(manifest, project_file)
    assert before["usda_wasde"] != after["usda_wasde"]
    assert before["eia_weekly"] == after["eia_weekly"]
