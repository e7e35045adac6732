"""Spider/BIRD-format benchmarks: loading, database layout, strict execution scoring."""

from __future__ import annotations

import json

import pytest
from eval_scripted_askers import spider_asker

from evals.spider import benchmark_report, database_path, load_benchmark, run_benchmark
from evals.suite import SuiteError


def test_spider_items_become_cases(spider_dev_json):
    bench = load_benchmark(spider_dev_json)
    assert bench.name == "dev" and len(bench.cases) == 7
    first, _, ordered_case, *_ = bench.cases
    assert first.gold_sql == "SELECT count(*) FROM singer" and first.tags == ("db:concert_singer",)
    assert ordered_case.ordered and not first.ordered


def test_bird_items_carry_evidence_and_difficulty(bird_dev_json):
    cases = load_benchmark(bird_dev_json).cases
    assert cases[0].question == "How many singers are older than 30?\nHint: older than 30 refers to age > 30"
    assert cases[0].tags == ("db:concert_singer", "difficulty:simple")
    assert cases[2].question == "Which student owns the most pets?" and cases[2].ordered


def run(path, db_dir):
    opened = []

    def asker_for(db_path, warehouse):
        opened.append(db_path.name)
        return spider_asker(None, warehouse)

    return benchmark_report(run_benchmark(load_benchmark(path), db_dir, asker_for)), opened


def test_scoring_is_strict_and_per_database(spider_dev_json, spider_db_dir):
    report, opened = run(spider_dev_json, spider_db_dir)
    assert opened == ["concert_singer.sqlite", "pets_1.sqlite"]
    matches = [(r["id"], r["passed"], r["match"]) for r in report["results"]]
    assert matches == [
        ("q0000", True, "exact"),  # count(singer_id) for count(*)
        ("q0001", True, "exact"),
        ("q0002", False, "mismatch"),  # ascending where the gold orders descending
        ("q0003", False, "projection"),  # an extra column fails on public benchmarks
        ("q0004", True, "exact"),
        ("q0005", True, "exact"),  # columns in another order
        ("q0006", False, "sql_error"),
    ]
    assert "chart_accuracy" not in report and "by_tag" not in report


def test_accuracy_by_difficulty(bird_dev_json, spider_db_dir):
    report, _ = run(bird_dev_json, spider_db_dir)
    assert report["execution_accuracy"] == round(2 / 3, 4)
    accuracy = {level: stats["accuracy"] for level, stats in report["by_difficulty"].items()}
    assert accuracy == {"challenging": 0.0, "moderate": 1.0, "simple": 1.0}
    # the third question is refused: not an answer given, so precision counts only two
    assert report["precision_of_answers"] == 1.0 and report["answered_cases"] == 2
    assert report["guard_accuracy"] is None and report["by_difficulty"]["challenging"]["answered_cases"] == 0


def test_database_layouts(spider_db_dir, tmp_path):
    assert database_path(spider_db_dir, "pets_1") == spider_db_dir / "pets_1" / "pets_1.sqlite"
    flat = tmp_path / "flat.sqlite"
    flat.write_bytes((spider_db_dir / "pets_1" / "pets_1.sqlite").read_bytes())
    assert database_path(tmp_path, "flat") == flat
    with pytest.raises(SuiteError, match="no SQLite file for db_id 'nope'"):
        database_path(spider_db_dir, "nope")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{}", "non-empty JSON list"),
        ("[]", "non-empty JSON list"),
        ('[{"db_id": "x", "question": "q"}]', "item 0 needs db_id, question and query"),
        ("not json", "cannot read benchmark file"),
    ],
)
def test_malformed_files_are_reported(tmp_path, content, message):
    path = tmp_path / "dev.json"
    path.write_text(content)
    with pytest.raises(SuiteError, match=message):
        load_benchmark(path)


def test_fixture_dev_file_is_spider_shaped(spider_dev_json):
    items = json.loads(spider_dev_json.read_text())
    assert all({"db_id", "question", "query"} <= set(item) for item in items)
