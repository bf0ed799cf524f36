"""Talking to the backend: the shared protocol (`protocol`, the one module the reference backend
imports from the kiosk), the outbox, adapters and the sync worker.

Kept free of imports so `import kiosk.sync.protocol` stays cheap on both ends.
"""
