"""SHAP explanations: additive to the model margin, in plain words with value and typical value."""
from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
import xgboost as xgb

from predictors.describe import format_typical, format_value
from predictors.explain import PredictionExplainer
from predictors.features import churn, fraud, ltv
from predictors.features.base import Cohort, as_matrix
from tests.predictors.conftest import AS_OF


@pytest.fixture(scope="module")
def fraud_rows(train_source):
    rows = train_source.frame(fraud.feature_query(AS_OF, Cohort(install_from=dt.date(2026, 6, 25))))
    assert len(rows) > 1000
    return rows


def test_shap_values_sum_to_margin_minus_base_value(trained, fraud_rows):
    artifact = trained["artifacts"]["fraud"]
    explainer = PredictionExplainer(artifact)
    for _, row in fraud_rows.head(25).iterrows():
        matrix = as_matrix(row.to_frame().T, artifact.features)
        values, base = explainer.shap_row(matrix)
        margin = artifact.booster.predict(xgb.DMatrix(matrix, feature_names=list(artifact.features)),
                                          output_margin=True)[0]
        assert values.sum() == pytest.approx(margin - base, abs=1e-3)


def test_explanation_in_plain_words_has_value_and_typical_value(trained, fraud_rows):
    artifact = trained["artifacts"]["fraud"]
    explainer = PredictionExplainer(artifact)
    scores = artifact.booster.inplace_predict(as_matrix(fraud_rows, artifact.features))
    riskiest = fraud_rows.iloc[int(np.argmax(scores))]
    explanation = explainer.explain(riskiest, float(scores.max()), riskiest["install_id"])
    top = explanation.contributions[0]
    assert top.shap_value > 0 and "raises fraud risk the most" in top.text
    typical = format_typical(top.feature, artifact.meta["typical_values"][top.feature])
    assert format_value(top.feature, top.value) in top.text and f"(typical {typical})" in top.text
    assert [abs(c.shap_value) for c in explanation.contributions] == sorted(
        (abs(c.shap_value) for c in explanation.contributions), reverse=True)


def test_value_formats_read_like_a_marketer_would_say_them():
    assert format_value("click_to_install_s", 3) == "3 s"
    assert format_value("click_to_install_s", 2400) == "40 min"
    assert format_value("revenue_30d", 4.99) == "$4.99"
    assert format_value("source_silent_share_7d", 0.35) == "35%"
    assert format_value("click_to_install_s", float("nan")) == "none"
    assert format_typical("click_to_install_s", {"p10": 120, "p50": 900, "p90": 2400}) == "2 min-40 min"


def test_global_importance_ranks_every_feature(trained):
    cases = (("fraud", fraud, "global_importance"), ("churn", churn, "global_importance"),
             ("ltv", ltv, "global_importance"), ("ltv", ltv, "global_importance_spend"))
    for name, module, key in cases:
        ranking = trained["artifacts"][name].meta[key]
        assert sorted(r["feature"] for r in ranking) == sorted(module.FEATURES)
        values = [r["mean_abs_shap"] for r in ranking]
        assert values == sorted(values, reverse=True) and values[0] > 0
    assert trained["artifacts"]["churn"].meta["global_importance"][0]["feature"] == "days_since_last_session"


def test_ltv_explanations_are_about_the_chance_of_paying(trained, train_source):
    """LTV is explained through its payer part, additive to that booster's log-odds."""
    artifact = trained["artifacts"]["ltv"]
    users = train_source.frame(ltv.feature_query(AS_OF, Cohort(install_from=dt.date(2026, 6, 20))))
    explainer = PredictionExplainer(artifact)
    payer = artifact.boosters["payer"]
    for _, row in users.head(10).iterrows():
        matrix = as_matrix(row.to_frame().T, artifact.features)
        values, base = explainer.shap_row(matrix)
        dmatrix = xgb.DMatrix(matrix, feature_names=list(artifact.features))
        margin = payer.predict(dmatrix, output_margin=True)[0]
        assert values.sum() == pytest.approx(margin - base, abs=1e-3)
    paid = users[users["revenue_d3"] > 0].iloc[0]
    explanation = explainer.explain(paid, 0.99, paid["user_id"])
    assert explanation.contributions[0].text.endswith("raises the chance of paying the most")
