"""audit_log: security-relevant refusals (an enrolment that would take over an enrolled
terminal's id), without secrets

Revision ID: 0003
Revises: 0002
"""
import sqlalchemy as sa
from alembic import op


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


BIG_ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def upgrade() -> None:
    op.create_table(
        'audit_log',
        sa.Column('id', BIG_ID, autoincrement=True, nullable=False),
        sa.Column('at', sa.DateTime(), nullable=False),
        sa.Column('kind', sa.String(length=40), nullable=False),
        sa.Column('terminal_id', sa.String(length=32), nullable=False),
        sa.Column('enrolment_code_id', BIG_ID, nullable=True),
        sa.Column('remote_addr', sa.String(length=64), nullable=False),
        sa.Column('detail', sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(['enrolment_code_id'], ['enrolment_codes.id'],
                                name=op.f('fk_audit_log_enrolment_code_id_enrolment_codes'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_log')),
    )
    op.create_index('ix_audit_log_kind_at', 'audit_log', ['kind', 'at'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_audit_log_kind_at', table_name='audit_log')
    op.drop_table('audit_log')
