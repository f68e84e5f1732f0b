"""Devices, submissions, presenter codes and atomic sign-in counters.

- response.device_hash: the keyed hash of the browser's device cookie (earlier views: their session's);
  the per-device limit and a poll's one-vote-per-device tally read it.
- response.submission: the form's own id for one send, unique, so a send retried after an outage or a
  failover is stored once.
- event.presenter_code: the secret that opens an event's speaker notes (earlier events get one).
- login_counter replaces login_attempt: one row per account and address, incremented atomically.

Revision ID: 0002
Revises: 0001
"""

import secrets

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"

TZ = sa.DateTime(timezone=True)
PRESENTER_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def upgrade() -> None:
    with op.batch_alter_table("response") as table:
        table.add_column(sa.Column("device_hash", sa.String(16)))
        table.add_column(sa.Column("submission", sa.String(32)))
        table.create_index("ix_response_device_hash", ["device_hash"])
        table.create_unique_constraint("uq_response_submission", ["submission"])
    op.execute("UPDATE response SET device_hash = session_hash")
    with op.batch_alter_table("event") as table:
        table.add_column(sa.Column("presenter_code", sa.String(16)))
    connection = op.get_bind()
    for (event_id,) in connection.execute(sa.text("SELECT id FROM event")).all():
        code = "".join(secrets.choice(PRESENTER_ALPHABET) for _ in range(10))
        connection.execute(sa.text("UPDATE event SET presenter_code = :code WHERE id = :id"),
                           {"code": code, "id": event_id})
    op.drop_table("login_attempt")
    op.create_table("login_counter", sa.Column("key", sa.String(64), primary_key=True),
                    sa.Column("attempts", sa.Integer, nullable=False),
                    sa.Column("window_start", TZ, nullable=False))


def downgrade() -> None:
    op.drop_table("login_counter")
    op.create_table("login_attempt", sa.Column("id", sa.Integer, primary_key=True),
                    sa.Column("client_hash", sa.String(16), nullable=False), sa.Column("at", TZ, nullable=False))
    op.create_index("ix_login_attempt_client_hash", "login_attempt", ["client_hash"])
    op.create_index("ix_login_attempt_at", "login_attempt", ["at"])
    with op.batch_alter_table("event") as table:
        table.drop_column("presenter_code")
    with op.batch_alter_table("response") as table:
        table.drop_constraint("uq_response_submission", type_="unique")
        table.drop_index("ix_response_device_hash")
        table.drop_column("submission")
        table.drop_column("device_hash")
