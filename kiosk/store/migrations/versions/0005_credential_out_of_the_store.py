"""the terminal credential leaves the store for <data_dir>/credential (0600)

The row's value is handed to the `keep_credential` hook that kiosk.store.db gives every
migration run: it writes the file and syncs it to disk before this migration deletes the row,
in the same transaction as the version stamp. A crash between the two leaves both, and the next
start hands the value over again (a file already there wins: it is the newer one). Without the
hook the migration refuses to run rather than lose the credential.

Revision ID: 0005
Revises: 0004
"""
import sqlalchemy as sa
from alembic import context, op


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    conn = op.get_bind()
    value = conn.execute(sa.text("SELECT value FROM sync_state WHERE key = 'credential'")).scalar()
    if value:
        keep = context.config.attributes.get("keep_credential")
        if keep is None:
            raise RuntimeError("the stored terminal credential would be lost: migrate the store "
                               "through kiosk.store.db.open_store")
        keep(value)
    # Overwritten, not only unlinked from the page: the deleted text must not linger in the
    # file (kiosk.store.db checkpoints the WAL into it after the migration).
    conn.exec_driver_sql("PRAGMA secure_delete = ON")
    conn.execute(sa.text("DELETE FROM sync_state WHERE key = 'credential'"))
    conn.exec_driver_sql("PRAGMA secure_delete = OFF")


def downgrade() -> None:
    # Nothing to restore: the credential stays in its file, which an older kiosk does not read
    # (it would need enrolling again).
    pass
