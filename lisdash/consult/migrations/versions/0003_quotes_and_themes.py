"""Permission to quote, and the themes analysts approve.

- response.quote_ok: the respondent allowed the comment to be quoted without a name in the published
  summary; every earlier view counts as "no".
- theme: a theme of one commitment's comments, proposed by the model or made by an analyst, with its
  weighted terms and its most representative comments; approved or not.
- theme_tag: a comment's theme, told apart by who set it: the model ("machine") or an analyst
  ("human", which wins); one of each per view at most.
- theme_change: every analyst change (approve, rename, merge, split, move), with who and when.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"

TZ = sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("response") as table:
        table.add_column(sa.Column("quote_ok", sa.Boolean, nullable=False, server_default=sa.false()))
    op.create_table(
        "theme", sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("commitment", sa.String(20), nullable=False, index=True),
        sa.Column("label", sa.String(80), nullable=False),
        sa.Column("terms", sa.JSON, nullable=False),
        sa.Column("examples", sa.JSON, nullable=False),
        sa.Column("approved", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("retired", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("origin", sa.String(10), nullable=False),
        sa.Column("created_by", sa.String(60), nullable=False),
        sa.Column("created_at", TZ, nullable=False))
    op.create_table(
        "theme_tag", sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("response_id", sa.Integer, sa.ForeignKey("response.id", ondelete="CASCADE"), nullable=False,
                  index=True),
        sa.Column("commitment", sa.String(20), nullable=False),
        sa.Column("theme_id", sa.Integer, sa.ForeignKey("theme.id"), nullable=False, index=True),
        sa.Column("source", sa.String(10), nullable=False),
        sa.Column("tagged_by", sa.String(60), nullable=False),
        sa.Column("tagged_at", TZ, nullable=False),
        sa.UniqueConstraint("response_id", "commitment", "source", name="uq_theme_tag_one_per_source"))
    op.create_table(
        "theme_change", sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("theme_id", sa.Integer, sa.ForeignKey("theme.id"), nullable=False, index=True),
        sa.Column("action", sa.String(20), nullable=False),
        sa.Column("detail", sa.JSON, nullable=False),
        sa.Column("changed_by", sa.String(60), nullable=False),
        sa.Column("changed_at", TZ, nullable=False))


def downgrade() -> None:
    op.drop_table("theme_change")
    op.drop_table("theme_tag")
    op.drop_table("theme")
    with op.batch_alter_table("response") as table:
        table.drop_column("quote_ok")
