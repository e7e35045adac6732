"""Browser origins per API key (CORS per key, docs/embedding.md).

Revision ID: 0002
Revises: 0001
"""
import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A JSON list of origins ("https://app.example.com"); existing keys allow none (server-wide only).
    with op.batch_alter_table("api_keys") as batch:
        batch.add_column(sa.Column("origins", sa.JSON, nullable=False, server_default=sa.text("'[]'")))


def downgrade() -> None:
    with op.batch_alter_table("api_keys") as batch:
        batch.drop_column("origins")
