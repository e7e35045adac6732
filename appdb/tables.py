"""The tables as the code reads and writes them (SQLAlchemy Core).

The migrations in ``migrations/versions`` create them; a change here needs a new migration
(tests/appdb/test_migrations.py compares the two).
"""
from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()

tenants = sa.Table(
    "tenants", metadata,
    sa.Column("scope", sa.String(64), primary_key=True),
    sa.Column("name", sa.String(200), nullable=False, server_default=""),
    sa.Column("created_at", sa.Float, nullable=False),
)

api_keys = sa.Table(
    "api_keys", metadata,
    sa.Column("key_id", sa.String(32), primary_key=True),
    sa.Column("scope", sa.String(64), nullable=False, index=True),
    sa.Column("salt", sa.String(64), nullable=False),
    sa.Column("hash", sa.String(128), nullable=False),
    sa.Column("name", sa.String(200), nullable=False, server_default=""),
    sa.Column("created_at", sa.Float, nullable=False),
    sa.Column("revoked", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("revoked_at", sa.Float),
    # browser origins allowed to call with this key (migration 0002); [] -> server-wide origins only
    sa.Column("origins", sa.JSON, nullable=False, server_default=sa.text("'[]'")),
)

conversation_turns = sa.Table(
    "conversation_turns", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("scope", sa.String(64), nullable=False),
    sa.Column("conversation_id", sa.String(64), nullable=False),
    sa.Column("question", sa.Text, nullable=False),
    sa.Column("plan", sa.JSON),
    sa.Column("status", sa.String(32), nullable=False),
    sa.Column("answer_id", sa.String(64)),
    sa.Column("created_at", sa.Float, nullable=False),
    sa.Index("ix_turns_conversation", "scope", "conversation_id", "id"),
)

answers = sa.Table(
    "answers", metadata,
    sa.Column("answer_id", sa.String(64), primary_key=True),
    sa.Column("scope", sa.String(64), nullable=False),
    sa.Column("key_id", sa.String(32)),
    sa.Column("user_id", sa.String(128)),
    sa.Column("conversation_id", sa.String(64)),
    sa.Column("question", sa.Text, nullable=False),
    sa.Column("status", sa.String(32), nullable=False),
    sa.Column("planner", sa.String(128)),
    sa.Column("sql", sa.Text),
    sa.Column("semantic_query", sa.JSON),
    sa.Column("cached", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("timings_ms", sa.JSON),
    sa.Column("answer", sa.JSON, nullable=False),  # the whole Answer, for feedback and review pages
    sa.Column("created_at", sa.Float, nullable=False),
    sa.Index("ix_answers_scope_time", "scope", "created_at"),
)

feedback = sa.Table(
    "feedback", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("scope", sa.String(64), nullable=False),
    sa.Column("answer_id", sa.String(64), nullable=False, index=True),
    sa.Column("rating", sa.String(8), nullable=False),
    sa.Column("question", sa.Text),
    sa.Column("sql", sa.Text),
    sa.Column("corrected_sql", sa.Text),
    sa.Column("comment", sa.Text),
    sa.Column("verified_example_id", sa.String(64)),
    sa.Column("created_at", sa.Float, nullable=False),
)

verified_queries = sa.Table(
    "verified_queries", metadata,
    sa.Column("id", sa.String(32), primary_key=True),
    sa.Column("scope", sa.String(64), nullable=False),
    sa.Column("question", sa.Text, nullable=False),
    sa.Column("normalized_question", sa.Text, nullable=False),
    sa.Column("semantic_query", sa.JSON),
    sa.Column("sql", sa.Text),
    sa.Column("source_answer_id", sa.String(64)),
    sa.Column("verified_by", sa.String(128), nullable=False),
    sa.Column("created_at", sa.Float, nullable=False),
    sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()),
    sa.Index("ix_verified_lookup", "scope", "normalized_question"),
)

access_policies = sa.Table(
    "access_policies", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("subject_type", sa.String(16), nullable=False),  # tenant | key
    sa.Column("subject", sa.String(128), nullable=False),
    sa.Column("metrics", sa.JSON),  # null: every metric
    sa.Column("dimensions", sa.JSON),  # null: every dimension
    sa.Column("row_filters", sa.JSON, nullable=False),  # list of SQL predicates, ANDed
    sa.Column("allow_sql", sa.Boolean, nullable=False, server_default=sa.true()),
    sa.Column("created_at", sa.Float, nullable=False),
    sa.Column("updated_at", sa.Float, nullable=False),
    sa.Column("min_group_size", sa.Integer),  # null: no threshold of its own (migration 0003)
    sa.UniqueConstraint("subject_type", "subject", name="uq_policy_subject"),
)

monitors = sa.Table(  # saved questions run on a schedule (docs/monitors.md; migration 0004 made them run)
    "monitors", metadata,
    sa.Column("id", sa.String(32), primary_key=True),
    sa.Column("scope", sa.String(64), nullable=False, index=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("question", sa.Text),
    sa.Column("semantic_query", sa.JSON),  # the watched series: metric, filters, grain, dimensions
    sa.Column("schedule", sa.String(64)),
    sa.Column("condition", sa.JSON),  # how far back a run looks for new anomalies
    sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()),
    sa.Column("created_at", sa.Float, nullable=False),
    sa.Column("owner", sa.String(128)),
    sa.Column("key_id", sa.String(32)),
    sa.Column("slack_channel", sa.String(64)),
    sa.Column("webhook_url", sa.Text),
    sa.Column("next_run_at", sa.Float, index=True),
    sa.Column("claimed_by", sa.String(128)),
    sa.Column("claimed_until", sa.Float),
    sa.Column("last_run_at", sa.Float),
    sa.Column("last_status", sa.String(32)),
    sa.Column("last_error", sa.Text),
)

monitor_alerts = sa.Table(  # what a monitor posted where: an anomaly is posted once per audience
    "monitor_alerts", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("monitor_id", sa.String(32), nullable=False),
    sa.Column("period_start", sa.String(10), nullable=False),
    sa.Column("audience", sa.String(16), nullable=False),
    sa.Column("posted_at", sa.Float, nullable=False),
    sa.Column("detail", sa.JSON),
    sa.UniqueConstraint("monitor_id", "period_start", "audience", name="uq_monitor_alert"),
)

audit_log = sa.Table(  # append-only: triggers refuse UPDATE and DELETE (migration 0001)
    "audit_log", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("at", sa.Float, nullable=False, index=True),
    sa.Column("actor", sa.String(128), nullable=False),
    sa.Column("scope", sa.String(64)),
    sa.Column("action", sa.String(64), nullable=False, index=True),
    sa.Column("target", sa.String(256)),
    sa.Column("detail", sa.JSON),
)

meta = sa.Table(  # one-time steps done (e.g. the import of keys.json)
    "asklytics_meta", metadata,
    sa.Column("name", sa.String(64), primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
)
