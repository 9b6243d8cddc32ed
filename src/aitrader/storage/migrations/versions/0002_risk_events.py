"""risk events and commands

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01 18:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply."""
    op.create_table(
        "risk_events",
        sa.Column("pk", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("run_id", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("breaker", sa.String(length=64), nullable=False),
        sa.Column("scope", sa.String(length=200), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("ts_ns", sa.BigInteger(), nullable=False),
        sa.Column("until_ns", sa.BigInteger(), nullable=False),
        sa.Column("flatten", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("pk"),
    )
    op.create_index("ix_risk_events_breaker_scope", "risk_events", ["breaker", "scope"])
    op.create_index(op.f("ix_risk_events_run_id"), "risk_events", ["run_id"])
    op.create_table(
        "risk_commands",
        sa.Column("pk", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("command", sa.String(length=16), nullable=False),
        sa.Column("scope", sa.String(length=200), nullable=False),
        sa.Column("breaker", sa.String(length=64), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("created_ns", sa.BigInteger(), nullable=False),
        sa.Column("processed_ns", sa.BigInteger(), nullable=True),
        sa.Column("result", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("pk"),
    )
    op.create_index(op.f("ix_risk_commands_processed_ns"), "risk_commands", ["processed_ns"])


def downgrade() -> None:
    """Revert."""
    op.drop_index(op.f("ix_risk_commands_processed_ns"), table_name="risk_commands")
    op.drop_table("risk_commands")
    op.drop_index(op.f("ix_risk_events_run_id"), table_name="risk_events")
    op.drop_index("ix_risk_events_breaker_scope", table_name="risk_events")
    op.drop_table("risk_events")
