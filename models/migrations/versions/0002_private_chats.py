"""private chats know their person

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("conversations") as batch:
        batch.add_column(sa.Column("person_id", sa.String(length=64), nullable=True))
        batch.create_foreign_key(
            "fk_conversations_person_id_people", "people", ["person_id"], ["id"]
        )


def downgrade() -> None:
    with op.batch_alter_table("conversations") as batch:
        batch.drop_constraint("fk_conversations_person_id_people", type_="foreignkey")
        batch.drop_column("person_id")
