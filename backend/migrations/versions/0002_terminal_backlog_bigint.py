"""terminals.backlog BIGINT: the protocol allows counts up to 10**12 (INTEGER overflowed on
PostgreSQL with a 500)

SQLite is left as it is: its INTEGER holds 64 bits already, and a batch rebuild of `terminals`
would drop the table under foreign keys that cascade (credentials, commands).

Revision ID: 0002
Revises: 0001
"""
import sqlalchemy as sa
from alembic import op


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        return
    op.alter_column("terminals", "backlog", type_=sa.BigInteger(),
                    existing_type=sa.Integer(), existing_nullable=False)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        return
    op.alter_column("terminals", "backlog", type_=sa.Integer(),
                    existing_type=sa.BigInteger(), existing_nullable=False)
