"""The first schema: keys, tenants, conversations, answers, feedback, verified queries, access
policies, monitors, the append-only audit log.

Revision ID: 0001
Revises:
"""
import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

_APPEND_ONLY_MESSAGE = "audit_log is append-only"


def upgrade() -> None:
    op.create_table(
        "tenants",
        sa.Column("scope", sa.String(64), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False, server_default=""),
        sa.Column("created_at", sa.Float, nullable=False),
    )
    op.create_table(
        "api_keys",
        sa.Column("key_id", sa.String(32), primary_key=True),
        sa.Column("scope", sa.String(64), nullable=False),
        sa.Column("salt", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(128), nullable=False),
        sa.Column("name", sa.String(200), nullable=False, server_default=""),
        sa.Column("created_at", sa.Float, nullable=False),
        sa.Column("revoked", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("revoked_at", sa.Float),
    )
    op.create_index("ix_api_keys_scope", "api_keys", ["scope"])
    op.create_table(
        "conversation_turns",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("scope", sa.String(64), nullable=False),
        sa.Column("conversation_id", sa.String(64), nullable=False),
        sa.Column("question", sa.Text, nullable=False),
        sa.Column("plan", sa.JSON),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("answer_id", sa.String(64)),
        sa.Column("created_at", sa.Float, nullable=False),
    )
    op.create_index("ix_turns_conversation", "conversation_turns", ["scope", "conversation_id", "id"])
    op.create_table(
        "answers",
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
        sa.Column("answer", sa.JSON, nullable=False),
        sa.Column("created_at", sa.Float, nullable=False),
    )
    op.create_index("ix_answers_scope_time", "answers", ["scope", "created_at"])
    op.create_table(
        "feedback",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("scope", sa.String(64), nullable=False),
        sa.Column("answer_id", sa.String(64), nullable=False),
        sa.Column("rating", sa.String(8), nullable=False),
        sa.Column("question", sa.Text),
        sa.Column("sql", sa.Text),
        sa.Column("corrected_sql", sa.Text),
        sa.Column("comment", sa.Text),
        sa.Column("verified_example_id", sa.String(64)),
        sa.Column("created_at", sa.Float, nullable=False),
    )
    op.create_index("ix_feedback_answer_id", "feedback", ["answer_id"])
    op.create_table(
        "verified_queries",
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
    )
    op.create_index("ix_verified_lookup", "verified_queries", ["scope", "normalized_question"])
    op.create_table(
        "access_policies",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("subject_type", sa.String(16), nullable=False),
        sa.Column("subject", sa.String(128), nullable=False),
        sa.Column("metrics", sa.JSON),
        sa.Column("dimensions", sa.JSON),
        sa.Column("row_filters", sa.JSON, nullable=False),
        sa.Column("allow_sql", sa.Boolean, nullable=False, server_default=sa.true()),
        sa.Column("created_at", sa.Float, nullable=False),
        sa.Column("updated_at", sa.Float, nullable=False),
        sa.UniqueConstraint("subject_type", "subject", name="uq_policy_subject"),
    )
    op.create_table(
        "monitors",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("scope", sa.String(64), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("question", sa.Text),
        sa.Column("semantic_query", sa.JSON),
        sa.Column("schedule", sa.String(64)),
        sa.Column("condition", sa.JSON),
        sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()),
        sa.Column("created_at", sa.Float, nullable=False),
    )
    op.create_index("ix_monitors_scope", "monitors", ["scope"])
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("at", sa.Float, nullable=False),
        sa.Column("actor", sa.String(128), nullable=False),
        sa.Column("scope", sa.String(64)),
        sa.Column("action", sa.String(64), nullable=False),
        sa.Column("target", sa.String(256)),
        sa.Column("detail", sa.JSON),
    )
    op.create_index("ix_audit_log_at", "audit_log", ["at"])
    op.create_index("ix_audit_log_action", "audit_log", ["action"])
    op.create_table(
        "asklytics_meta",
        sa.Column("name", sa.String(64), primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
    )
    _make_audit_log_append_only()


def _make_audit_log_append_only() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"""
            CREATE FUNCTION asklytics_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN RAISE EXCEPTION '{_APPEND_ONLY_MESSAGE}'; END $$""")
        op.execute("CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log "
                   "FOR EACH ROW EXECUTE FUNCTION asklytics_audit_append_only()")
        op.execute("CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log "
                   "FOR EACH STATEMENT EXECUTE FUNCTION asklytics_audit_append_only()")
        return
    for event in ("UPDATE", "DELETE"):
        op.execute(f"CREATE TRIGGER audit_log_no_{event.lower()} BEFORE {event} ON audit_log "
                   f"BEGIN SELECT RAISE(ABORT, '{_APPEND_ONLY_MESSAGE}'); END")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_log_no_truncate ON audit_log")
        op.execute("DROP TRIGGER IF EXISTS audit_log_append_only ON audit_log")
        op.execute("DROP FUNCTION IF EXISTS asklytics_audit_append_only()")
    for table in ("asklytics_meta", "audit_log", "monitors", "access_policies", "verified_queries",
                  "feedback", "answers", "conversation_turns", "api_keys", "tenants"):
        op.drop_table(table)
