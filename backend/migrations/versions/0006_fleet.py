"""fleet operation (docs/decisions/0028): terminals' district, paper report and print rate,
fault summary; the command counters that spare the heartbeat a query; commands' expiry, result and issuer; enrolment codes' district; per-hall
configuration profiles; indexes for the fleet list's filters and the offline scan

Revision ID: 0006
Revises: 0005
"""
import sqlalchemy as sa
from alembic import op


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('terminals') as t:
        t.add_column(sa.Column('district', sa.String(length=32), server_default='',
                               nullable=False))
        t.add_column(sa.Column('faults', sa.String(length=200), server_default='',
                               nullable=False))
        t.add_column(sa.Column('paper_level', sa.String(length=8), server_default='',
                               nullable=False))
        t.add_column(sa.Column('paper_sheets_left', sa.BigInteger(), nullable=True))
        t.add_column(sa.Column('paper_printed_total', sa.BigInteger(), nullable=True))
        t.add_column(sa.Column('paper_rate_per_h', sa.Float(), nullable=True))
        t.add_column(sa.Column('paper_at', sa.DateTime(), nullable=True))
        t.add_column(sa.Column('command_seq', sa.BigInteger(), server_default='0',
                               nullable=False))
        t.add_column(sa.Column('command_seq_seen', sa.BigInteger(), server_default='0',
                               nullable=False))
    # Terminals with commands queued before this revision: their next heartbeat looks.
    op.execute("UPDATE terminals SET command_seq = 1 WHERE id IN "
               "(SELECT terminal_id FROM terminal_commands WHERE acked_at IS NULL)")
    # No index on last_seen_at: every heartbeat changes it, and an index on it would make every
    # heartbeat's UPDATE a non-HOT one (new entries in every index). The offline filter scans
    # the table (10,000 rows: milliseconds). Free space in each page keeps the updates HOT.
    if op.get_bind().dialect.name == 'postgresql':
        op.execute("ALTER TABLE terminals SET (fillfactor = 70)")
    op.create_index('ix_terminals_hall', 'terminals', ['hall'])
    op.create_index('ix_terminals_district', 'terminals', ['district'])
    with op.batch_alter_table('terminal_commands') as t:
        t.add_column(sa.Column('expires_at', sa.DateTime(), nullable=True))
        t.add_column(sa.Column('result', sa.String(length=12), server_default='',
                               nullable=False))
        t.add_column(sa.Column('result_message', sa.String(length=200), server_default='',
                               nullable=False))
        t.add_column(sa.Column('issued_by', sa.String(length=20), server_default='',
                               nullable=False))
    with op.batch_alter_table('enrolment_codes') as t:
        t.add_column(sa.Column('district', sa.String(length=32), nullable=True))
    op.create_table(
        'config_profiles',
        sa.Column('hall', sa.String(length=32), nullable=False),
        sa.Column('profile_json', sa.Text(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('updated_by', sa.String(length=20), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('hall', name=op.f('pk_config_profiles')),
    )


def downgrade() -> None:
    op.drop_table('config_profiles')
    with op.batch_alter_table('enrolment_codes') as t:
        t.drop_column('district')
    with op.batch_alter_table('terminal_commands') as t:
        for c in ('issued_by', 'result_message', 'result', 'expires_at'):
            t.drop_column(c)
    op.drop_index('ix_terminals_district', 'terminals')
    op.drop_index('ix_terminals_hall', 'terminals')
    with op.batch_alter_table('terminals') as t:
        for c in ('command_seq_seen', 'command_seq', 'paper_at', 'paper_rate_per_h', 'paper_printed_total', 'paper_sheets_left',
                  'paper_level', 'faults', 'district'):
            t.drop_column(c)
