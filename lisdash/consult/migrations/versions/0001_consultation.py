"""The consultation tables: setting, event, response, contact, presentation, login_attempt.

Revision ID: 0001
Revises:
"""

import secrets

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None

TZ = sa.DateTime(timezone=True)


def upgrade() -> None:
    setting = op.create_table("setting", sa.Column("key", sa.String(40), primary_key=True),
                              sa.Column("value", sa.String(200), nullable=False))
    op.bulk_insert(setting, [{"key": "hash_secret", "value": secrets.token_hex(32)}])
    op.create_table("event", sa.Column("id", sa.Integer, primary_key=True),
                    sa.Column("code", sa.String(12), nullable=False, unique=True),
                    sa.Column("name", sa.String(120), nullable=False), sa.Column("created_at", TZ, nullable=False))
    required = {"nullable": False}
    op.create_table(
        "response",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("receipt", sa.String(12), nullable=False, unique=True),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("event_id", sa.Integer, sa.ForeignKey("event.id")),
        sa.Column("channel", sa.String(10), **required),
        sa.Column("respondent_type", sa.String(30), **required),
        sa.Column("org_size", sa.String(20)),
        sa.Column("sector", sa.String(3)),
        sa.Column("place", sa.String(9)),
        sa.Column("commitments", sa.JSON, **required),
        sa.Column("cluster", sa.String(40)),
        sa.Column("poll", sa.String(60)),
        sa.Column("agreement", sa.SmallInteger, **required),
        sa.Column("comment", sa.Text, **required),
        sa.Column("page", sa.String(20)),
        sa.Column("context_cluster", sa.String(40)),
        sa.Column("area_code", sa.String(9)),
        sa.Column("year", sa.Integer),
        sa.Column("slide", sa.Integer),
        sa.Column("session_hash", sa.String(16), **required),
        sa.Column("client_hash", sa.String(16), **required),
        sa.Column("duplicate_of", sa.Integer),
        sa.Column("hidden", sa.Boolean, **required),
        sa.Column("flagged", sa.Boolean, **required),
    )
    for column in ("created_at", "event_id", "poll", "session_hash", "client_hash"):
        op.create_index(f"ix_response_{column}", "response", [column])
    op.create_table(
        "contact",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("response_id", sa.Integer, sa.ForeignKey("response.id", ondelete="CASCADE"), **required),
        sa.Column("name", sa.String(120), **required),
        sa.Column("email", sa.String(254), **required),
        sa.Column("consent", sa.Boolean, **required),
        sa.Column("consent_at", TZ, **required),
    )
    for column in ("response_id", "email", "consent_at"):
        op.create_index(f"ix_contact_{column}", "contact", [column])
    op.create_table("presentation", sa.Column("token_hash", sa.String(64), primary_key=True),
                    sa.Column("event_id", sa.Integer, sa.ForeignKey("event.id")),
                    sa.Column("slide", sa.Integer, nullable=False), sa.Column("updated_at", TZ, nullable=False))
    op.create_table("login_attempt", sa.Column("id", sa.Integer, primary_key=True),
                    sa.Column("client_hash", sa.String(16), nullable=False), sa.Column("at", TZ, nullable=False))
    op.create_index("ix_login_attempt_client_hash", "login_attempt", ["client_hash"])
    op.create_index("ix_login_attempt_at", "login_attempt", ["at"])


def downgrade() -> None:
    for table in ("login_attempt", "presentation", "contact", "response", "event", "setting"):
        op.drop_table(table)
