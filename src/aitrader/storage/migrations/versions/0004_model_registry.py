"""model registry

Revision ID: 0004
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply."""
    op.create_table(
        "ml_model_versions",
        sa.Column("pk", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("name", sa.String(length=128), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("format", sa.String(length=16), nullable=False),
        sa.Column("content_sha256", sa.String(length=64), nullable=False),
        sa.Column("file_path", sa.String(length=512), nullable=False),
        sa.Column("stage", sa.String(length=16), nullable=False),
        sa.Column("model_metadata", sa.JSON(), nullable=False),
        sa.Column("metrics", sa.JSON(), nullable=False),
        sa.Column("data_start_ns", sa.BigInteger(), nullable=True),
        sa.Column("data_end_ns", sa.BigInteger(), nullable=True),
        sa.Column("source", sa.String(length=512), nullable=False),
        sa.Column("created_ns", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("pk"),
        sa.UniqueConstraint("name", "version", name="uq_ml_model_versions_name_version"),
    )
    op.create_index("ix_ml_model_versions_name_stage", "ml_model_versions", ["name", "stage"])


def downgrade() -> None:
    """Revert."""
    op.drop_index("ix_ml_model_versions_name_stage", table_name="ml_model_versions")
    op.drop_table("ml_model_versions")
