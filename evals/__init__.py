"""Accuracy by execution: suites, the result-set comparator, scoring and reports.

- :mod:`evals.suite` loads and validates suite YAML (shared/spec/eval-suite-format.md),
- :mod:`evals.runner` asks every case through an asker (the assistant) and
  :mod:`evals.scoring` re-runs gold and answer SQL and compares them
  (:mod:`evals.compare`),
- :mod:`evals.report` / :mod:`evals.report_html` write the JSON and HTML reports,
- :mod:`evals.spider` runs Spider/BIRD-format benchmarks on SQLite files.

``asklytics eval`` (app/interfaces/cli/eval.py) is the command line over all of it.
"""
