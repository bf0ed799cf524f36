"""What a terminal's install pulls in: the kiosk, not the server stack."""

from __future__ import annotations

import re
from importlib.metadata import requires

SERVER_STACK = {"fastapi", "uvicorn"}


def _name(requirement: str) -> str:
    return re.split(r"[\s<>=!~;\[]", requirement, maxsplit=1)[0].lower()


def test_a_terminal_install_does_not_pull_the_server_stack():
    reqs = requires("gov-kiosk") or []
    base = {_name(r) for r in reqs if "extra ==" not in r}
    backend = {_name(r) for r in reqs if re.search(r"extra\s*==\s*['\"]backend['\"]", r)}
    assert base and not base & SERVER_STACK, base
    assert SERVER_STACK <= backend
