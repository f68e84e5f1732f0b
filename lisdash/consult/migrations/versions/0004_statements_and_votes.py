"""Statements the room votes on, and the votes.

- statement: a seed statement (from lis_data/statements.yaml, keyed by its id) or a participant's own, with
  its conversation, its status (approved, pending, rejected) and who moderated it when; a participant's
  statement keeps the keyed hash of the device that sent it.
- vote: one agree (1), disagree (-1) or pass (0) on a statement, from a device (keyed hashes only), at an
  event or online; a device's latest vote on a statement is the one that counts.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"

TZ = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "statement", sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("conversation", sa.String(20), nullable=False, index=True),
        sa.Column("seed_id", sa.String(40), unique=True),
        sa.Column("text", sa.String(200), nullable=False),
        sa.Column("origin", sa.String(12), nullable=False),
        sa.Column("status", sa.String(10), nullable=False, index=True),
        sa.Column("event_id", sa.Integer, sa.ForeignKey("event.id"), index=True),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("device_hash", sa.String(16), index=True),
        sa.Column("moderated_by", sa.String(60)),
        sa.Column("moderated_at", TZ))
    op.create_table(
        "vote", sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("statement_id", sa.Integer, sa.ForeignKey("statement.id"), nullable=False, index=True),
        sa.Column("event_id", sa.Integer, sa.ForeignKey("event.id"), index=True),
        sa.Column("value", sa.SmallInteger, nullable=False),
        sa.Column("created_at", TZ, nullable=False, index=True),
        sa.Column("session_hash", sa.String(16), nullable=False),
        sa.Column("client_hash", sa.String(16), nullable=False, index=True),
        sa.Column("device_hash", sa.String(16), nullable=False, index=True))


def downgrade() -> None:
    op.drop_table("vote")
    op.drop_table("statement")
