"""verified identity (docs/decisions/0018): server_secrets, access_log (the citizen as a keyed
hash), identity_tickets and e_credential_uses (hashes and token ids only)

record_access (revision 0001) stays for the rows it holds; nothing writes it any more.

Revision ID: 0004
Revises: 0003
"""
import sqlalchemy as sa
from alembic import op


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


BIG_ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def upgrade() -> None:
    op.create_table(
        'server_secrets',
        sa.Column('name', sa.String(length=32), nullable=False),
        sa.Column('value', sa.String(length=128), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('name', name=op.f('pk_server_secrets')),
    )
    op.create_table(
        'access_log',
        sa.Column('id', BIG_ID, autoincrement=True, nullable=False),
        sa.Column('at', sa.DateTime(), nullable=False),
        sa.Column('terminal_id', sa.String(length=32), nullable=False),
        sa.Column('place', sa.String(length=100), nullable=False),
        sa.Column('call', sa.String(length=40), nullable=False),
        sa.Column('method', sa.String(length=16), nullable=True),
        sa.Column('staff_id', sa.String(length=32), nullable=True),
        sa.Column('citizen_key', sa.String(length=64), nullable=False),
        sa.Column('outcome', sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_access_log')),
    )
    op.create_index('ix_access_log_citizen_at', 'access_log', ['citizen_key', 'at'], unique=False)
    op.create_index('ix_access_log_terminal_at', 'access_log', ['terminal_id', 'at'],
                    unique=False)
    op.create_table(
        'identity_tickets',
        sa.Column('id', BIG_ID, autoincrement=True, nullable=False),
        sa.Column('ticket_sha256', sa.String(length=64), nullable=False),
        sa.Column('citizen_key', sa.String(length=64), nullable=False),
        sa.Column('terminal_id', sa.String(length=32), nullable=False),
        sa.Column('session_id', sa.String(length=32), nullable=False),
        sa.Column('issued_at', sa.DateTime(), nullable=False),
        sa.Column('expires_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_identity_tickets')),
        sa.UniqueConstraint('ticket_sha256', name=op.f('uq_identity_tickets_ticket_sha256')),
    )
    op.create_index(op.f('ix_identity_tickets_expires_at'), 'identity_tickets', ['expires_at'],
                    unique=False)
    op.create_table(
        'e_credential_uses',
        sa.Column('token_id', sa.String(length=32), nullable=False),
        sa.Column('citizen_key', sa.String(length=64), nullable=False),
        sa.Column('terminal_id', sa.String(length=32), nullable=False),
        sa.Column('used_at', sa.DateTime(), nullable=False),
        sa.Column('expires_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('token_id', name=op.f('pk_e_credential_uses')),
    )
    op.create_index(op.f('ix_e_credential_uses_expires_at'), 'e_credential_uses', ['expires_at'],
                    unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_e_credential_uses_expires_at'), table_name='e_credential_uses')
    op.drop_table('e_credential_uses')
    op.drop_index(op.f('ix_identity_tickets_expires_at'), table_name='identity_tickets')
    op.drop_table('identity_tickets')
    op.drop_index('ix_access_log_terminal_at', table_name='access_log')
    op.drop_index('ix_access_log_citizen_at', table_name='access_log')
    op.drop_table('access_log')
    op.drop_table('server_secrets')
