"""Every validation rule has a fixture that breaks it, and the demo model passes all of them."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from semantic_layer import DEMO_MODEL_PATH, SemanticModelError, load_semantic_model
from semantic_layer.loader import validate_model_file
from semantic_layer.rules import RULES
from semantic_layer.schema import SemanticModelFile

FIXTURES = Path(__file__).parent / "fixtures"

# fixture -> (rule that must flag it alone, or None for file-level errors; violation path; message fragment)
EXPECTED = {
    "table_and_sql_missing": ("check_table_or_sql", "semantic_models[1]", "exactly one of 'table' or 'sql'"),
    "duplicate_metric": ("check_unique_names", "metrics", "metric name 'cost' is used 2 times"),
    "metric_named_like_dimension": ("check_unique_names", "metrics[1].name", "has the name of a dimension"),
    "reserved_metric_time": ("check_unique_names", "semantic_models[0].dimensions[0].name", "reserved"),
    "reserved_cohort": ("check_unique_names", "semantic_models[0].dimensions[0].name",
                        "'cohort' is reserved"),
    "generated_metric_name": ("check_unique_names", "metrics[0].name", "generated"),
    "conformed_type_clash": ("check_conformed_dimensions", "semantic_models[1].dimensions[0].type",
                             "media_source"),
    "time_dimension_without_grain": ("check_time_dimension_grain", "semantic_models[1].dimensions[0]",
                                     "no grain"),
    "grain_on_numeric_dimension": ("check_time_dimension_grain",
                                   "semantic_models[0].dimensions[1].type_params",
                                   "numeric dimension 'daily_budget' has a time grain"),
    "cohort_time_dimension_unknown": ("check_cohort", "cohort.time_dimension", "not a time dimension"),
    "cohort_table_unknown": ("check_cohort", "cohort.semantic_model", "unknown semantic model 'installs'"),
    "privacy_entity_unknown": ("check_privacy", "privacy.user_entity", "unknown entity 'person'"),
    "measure_time_dimension_unknown": ("check_measure_time_dimension",
                                       "semantic_models[1].measures[0].agg_time_dimension", "spend_day"),
    "rollup_without_time": ("check_measure_time_dimension", "semantic_models[1].measures[1].rollup",
                            "rollup"),
    "unknown_measure": ("check_metric_params", "metrics[0].type_params.measure", "unknown measure 'costs'"),
    "unknown_input_metric": ("check_metric_params", "metrics[2].type_params", "unknown metric 'spend_total'"),
    "ratio_without_denominator": ("check_metric_params", "metrics[2].type_params",
                                  "numerator and a denominator"),
    "metric_cycle": ("check_metric_cycles", "metrics[3]", "depends on itself"),
    "expression_does_not_parse": ("check_expressions_parse", "semantic_models[1].measures[0].expr",
                                  "does not parse"),
    "filter_range_unknown_name": ("check_filter_ranges", "semantic_models[0].sql", "'spend_day'"),
    "rollup_not_exact": ("check_rollups", "rollups[0].measures[1]", "cannot be rolled up exactly"),
    "rollup_cohort_without_table": ("check_rollups", "rollups[0].cohort", "no cohort table is reachable"),
    "derived_unlisted_input": ("check_derived_expression_inputs", "metrics[3].type_params.expr",
                               "'impressions'"),
    "no_join_path": ("check_join_paths", "metrics[3].filter[0].dimension", "no join path"),
    "foreign_entity_without_target": ("check_join_paths", "semantic_models[1].entities[0]", "foreign entity"),
    "filter_with_two_values": ("check_filters", "metrics[3].filter[0].values", "takes one value"),
    "metric_without_units": ("check_documented", "metrics[1]", "description and units"),
    "synonym_clash": ("check_synonyms", "metrics[1].synonyms[0]", "already names 'cost'"),
    "synonym_is_other_name": ("check_synonyms", "metrics[0].synonyms[1]", "already names 'clicks'"),
    "vocabulary_unknown_name": ("check_vocabulary", "vocabulary.phrases.metric.spend", "'spend' is not in"),
    "unknown_key": (None, "metrics[0].synonym", "Extra inputs are not permitted"),
    "not_yaml": (None, "", "not valid YAML"),
}


def test_every_fixture_has_an_expectation():
    assert {p.stem for p in (FIXTURES / "invalid").glob("*.yaml")} == set(EXPECTED)


def test_every_rule_has_a_failing_fixture():
    assert {rule.__name__ for rule in RULES} == {r for r, _, _ in EXPECTED.values() if r}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_invalid_fixture_reports_file_path_and_hint(name):
    path = FIXTURES / "invalid" / f"{name}.yaml"
    _, expected_path, fragment = EXPECTED[name]
    _, violations = validate_model_file(path)
    matching = [v for v in violations if v.path == expected_path and fragment in v.message]
    assert matching, violations
    assert matching[0].file == str(path) and matching[0].hint


@pytest.mark.parametrize("name", sorted(n for n, (rule, _, _) in EXPECTED.items() if rule))
def test_rule_flags_its_fixture_on_its_own(name):
    rule = next(r for r in RULES if r.__name__ == EXPECTED[name][0])
    text = (FIXTURES / "invalid" / f"{name}.yaml").read_text()
    spec = SemanticModelFile.model_validate(yaml.safe_load(text))
    assert list(rule(spec))


@pytest.mark.parametrize("name", sorted(n for n, (rule, _, _) in EXPECTED.items() if rule))
def test_load_raises_with_every_violation(name):
    with pytest.raises(SemanticModelError) as caught:
        load_semantic_model(FIXTURES / "invalid" / f"{name}.yaml")
    assert caught.value.violations and EXPECTED[name][2] in str(caught.value)


def test_valid_fixture_and_demo_model_pass_every_rule():
    assert validate_model_file(FIXTURES / "valid_minimal.yaml")[1] == []
    assert validate_model_file(DEMO_MODEL_PATH)[1] == []


def test_missing_file_is_a_violation_not_a_crash(tmp_path):
    _, violations = validate_model_file(tmp_path / "absent.yaml")
    assert len(violations) == 1 and "cannot read" in violations[0].message
