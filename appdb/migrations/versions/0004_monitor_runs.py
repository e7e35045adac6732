"""Monitors that run (docs/monitors.md): owner, audience, the schedule's next run and the lease a
runner holds while it runs one; the anomalies already posted, so none is posted twice.

Revision ID: 0004
Revises: 0003
"""
import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

NEW_COLUMNS = (
    ("owner", sa.String(128)),  # who added it: cli:<login> or key:<key id>
    ("key_id", sa.String(32)),  # the owner's API key: its access policy applies to the runs
    ("slack_channel", sa.String(64)),
    ("webhook_url", sa.Text),
    ("next_run_at", sa.Float),  # epoch seconds (UTC); due when <= now
    ("claimed_by", sa.String(128)),  # the runner holding the lease, until claimed_until
    ("claimed_until", sa.Float),
    ("last_run_at", sa.Float),
    ("last_status", sa.String(32)),
    ("last_error", sa.Text),
)


def upgrade() -> None:
    with op.batch_alter_table("monitors") as batch:
        for name, kind in NEW_COLUMNS:
            batch.add_column(sa.Column(name, kind, nullable=True))
    op.create_index("ix_monitors_next_run_at", "monitors", ["next_run_at"])
    op.create_table(
        "monitor_alerts",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("monitor_id", sa.String(32), nullable=False),
        sa.Column("period_start", sa.String(10), nullable=False),  # the anomalous point, ISO date
        sa.Column("audience", sa.String(16), nullable=False),  # slack | webhook
        sa.Column("posted_at", sa.Float, nullable=False),
        sa.Column("detail", sa.JSON),
        sa.UniqueConstraint("monitor_id", "period_start", "audience", name="uq_monitor_alert"),
    )


def downgrade() -> None:
    op.drop_table("monitor_alerts")
    op.drop_index("ix_monitors_next_run_at", "monitors")
    with op.batch_alter_table("monitors") as batch:
        for name, _ in reversed(NEW_COLUMNS):
            batch.drop_column(name)
