"""fleet, second part (docs/decisions/0036): the A4 printer's paper report and print rate
beside the receipt's; the hash of the pushed profile a terminal runs; its last crash (time,
kind, crashes in ten minutes); each pushed profile's hash on its command (accepted -> applied)

Revision ID: 0007
Revises: 0006
"""
import sqlalchemy as sa
from alembic import op


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('terminals') as t:
        t.add_column(sa.Column('doc_paper_level', sa.String(length=8), server_default='',
                               nullable=False))
        t.add_column(sa.Column('doc_paper_sheets_left', sa.BigInteger(), nullable=True))
        t.add_column(sa.Column('doc_paper_printed_total', sa.BigInteger(), nullable=True))
        t.add_column(sa.Column('doc_paper_rate_per_h', sa.Float(), nullable=True))
        t.add_column(sa.Column('doc_paper_at', sa.DateTime(), nullable=True))
        t.add_column(sa.Column('config_hash', sa.String(length=16), server_default='',
                               nullable=False))
        t.add_column(sa.Column('crash_at', sa.DateTime(), nullable=True))
        t.add_column(sa.Column('crash_kind', sa.String(length=20), server_default='',
                               nullable=False))
        t.add_column(sa.Column('crash_recent', sa.Integer(), server_default='0',
                               nullable=False))
    with op.batch_alter_table('terminal_commands') as t:
        t.add_column(sa.Column('profile_hash', sa.String(length=16), server_default='',
                               nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('terminal_commands') as t:
        t.drop_column('profile_hash')
    with op.batch_alter_table('terminals') as t:
        for c in ('crash_recent', 'crash_kind', 'crash_at', 'config_hash', 'doc_paper_at',
                  'doc_paper_rate_per_h', 'doc_paper_printed_total', 'doc_paper_sheets_left',
                  'doc_paper_level'):
            t.drop_column(c)
