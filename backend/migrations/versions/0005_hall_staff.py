"""hall staff (docs/decisions/0019): terminals' hall and state, enrolment codes' hall, staff
accounts with hall, badge and expiry (argon2id PINs), help requests, remote frames, console
sessions, the terminals' hash-chained audit entries; audit_log.staff_no

Staff rows of revision 0001 hold scrypt PIN hashes no terminal can verify: they are deactivated
(an administrator sets a new PIN to bring one back); their roles become the protocol's.

Revision ID: 0005
Revises: 0004
"""
import sqlalchemy as sa
from alembic import op


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


BIG_ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def upgrade() -> None:
    with op.batch_alter_table('terminals') as t:
        t.add_column(sa.Column('hall', sa.String(length=32), server_default='', nullable=False))
        t.add_column(sa.Column('state', sa.String(length=20), server_default='', nullable=False))
        t.add_column(sa.Column('state_reason', sa.String(length=200), server_default='',
                               nullable=False))
        t.add_column(sa.Column('state_at', sa.DateTime(), nullable=True))
    with op.batch_alter_table('enrolment_codes') as t:
        t.add_column(sa.Column('hall', sa.String(length=32), nullable=True))
    with op.batch_alter_table('audit_log') as t:
        t.add_column(sa.Column('staff_no', sa.String(length=16), server_default='',
                               nullable=False))
    with op.batch_alter_table('staff_accounts') as t:
        t.add_column(sa.Column('hall', sa.String(length=32), server_default='', nullable=False))
        t.add_column(sa.Column('badge_hash', sa.String(length=64), server_default='',
                               nullable=False))
        t.add_column(sa.Column('expires_at', sa.DateTime(), nullable=True))
        t.add_column(sa.Column('updated_at', sa.DateTime(), nullable=True))
    op.execute("UPDATE staff_accounts SET role = 'helper' WHERE role = 'staff'")
    op.execute("UPDATE staff_accounts SET role = 'shift_lead' WHERE role = 'admin'")
    op.execute("UPDATE staff_accounts SET active = false WHERE pin_hash NOT LIKE '$argon2id$%'")

    op.create_table(
        'help_requests',
        sa.Column('request_id', sa.String(length=36), nullable=False),
        sa.Column('terminal_id', sa.String(length=32), nullable=False),
        sa.Column('hall', sa.String(length=32), nullable=False),
        sa.Column('screen', sa.String(length=40), nullable=False),
        sa.Column('item_id', sa.String(length=64), nullable=False),
        sa.Column('step', sa.String(length=40), nullable=False),
        sa.Column('waiting_since', sa.DateTime(), nullable=False),
        sa.Column('state', sa.String(length=12), nullable=False),
        sa.Column('staff_no', sa.String(length=20), nullable=False),
        sa.Column('staff_name', sa.String(length=40), nullable=False),
        sa.Column('outcome', sa.String(length=200), nullable=False),
        sa.Column('remote_view', sa.String(length=12), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('request_id', name=op.f('pk_help_requests')),
    )
    op.create_index(op.f('ix_help_requests_terminal_id'), 'help_requests', ['terminal_id'],
                    unique=False)
    op.create_index('ix_help_requests_hall_state', 'help_requests', ['hall', 'state'],
                    unique=False)
    op.create_table(
        'remote_frames',
        sa.Column('request_id', sa.String(length=36), nullable=False),
        sa.Column('jpeg', sa.LargeBinary(), nullable=False),
        sa.Column('at', sa.DateTime(), nullable=False),
        sa.Column('frame_no', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['request_id'], ['help_requests.request_id'],
                                name=op.f('fk_remote_frames_request_id_help_requests'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('request_id', name=op.f('pk_remote_frames')),
    )
    op.create_table(
        'console_sessions',
        sa.Column('id', BIG_ID, autoincrement=True, nullable=False),
        sa.Column('token_sha256', sa.String(length=64), nullable=False),
        sa.Column('staff_no', sa.String(length=20), nullable=False),
        sa.Column('csrf_token', sa.String(length=64), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('last_seen_at', sa.DateTime(), nullable=False),
        sa.Column('ended_at', sa.DateTime(), nullable=True),
        sa.Column('ended_reason', sa.String(length=20), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_console_sessions')),
        sa.UniqueConstraint('token_sha256', name=op.f('uq_console_sessions_token_sha256')),
    )
    op.create_index(op.f('ix_console_sessions_staff_no'), 'console_sessions', ['staff_no'],
                    unique=False)
    op.create_table(
        'terminal_audit',
        sa.Column('id', BIG_ID, autoincrement=True, nullable=False),
        sa.Column('terminal_id', sa.String(length=64), nullable=False),
        sa.Column('seq', sa.BigInteger(), nullable=False),
        sa.Column('at', sa.DateTime(), nullable=False),
        sa.Column('action', sa.String(length=32), nullable=False),
        sa.Column('staff_no', sa.String(length=16), nullable=False),
        sa.Column('detail_json', sa.Text(), nullable=False),
        sa.Column('prev', sa.String(length=64), nullable=False),
        sa.Column('hash', sa.String(length=64), nullable=False),
        sa.Column('entry_json', sa.Text(), nullable=False),
        sa.Column('received_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_terminal_audit')),
        sa.UniqueConstraint('terminal_id', 'seq', name='uq_terminal_audit_seq'),
    )


def downgrade() -> None:
    op.drop_table('terminal_audit')
    op.drop_index(op.f('ix_console_sessions_staff_no'), table_name='console_sessions')
    op.drop_table('console_sessions')
    op.drop_table('remote_frames')
    op.drop_index('ix_help_requests_hall_state', table_name='help_requests')
    op.drop_index(op.f('ix_help_requests_terminal_id'), table_name='help_requests')
    op.drop_table('help_requests')
    with op.batch_alter_table('staff_accounts') as t:
        for c in ('updated_at', 'expires_at', 'badge_hash', 'hall'):
            t.drop_column(c)
    with op.batch_alter_table('audit_log') as t:
        t.drop_column('staff_no')
    with op.batch_alter_table('enrolment_codes') as t:
        t.drop_column('hall')
    with op.batch_alter_table('terminals') as t:
        for c in ('state_at', 'state_reason', 'state', 'hall'):
            t.drop_column(c)
