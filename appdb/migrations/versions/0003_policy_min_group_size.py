"""A minimum group size per access policy (privacy thresholds per tenant or key, docs/governance.md).

Revision ID: 0003
Revises: 0002
"""
import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # NULL: the policy sets no threshold of its own (the model's and ASKLYTICS_MIN_GROUP_SIZE apply).
    with op.batch_alter_table("access_policies") as batch:
        batch.add_column(sa.Column("min_group_size", sa.Integer, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("access_policies") as batch:
        batch.drop_column("min_group_size")
