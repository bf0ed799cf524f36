"""Talking to the backend: the outbox, adapters and the sync worker. The wire contract itself is
the top-level `protocol` package, shared with the reference backend.

Kept free of imports so importing a submodule stays cheap.
"""
