"""Where the citizen is: a route (screen kind + parameters) and a stack for "back".

No Qt here. The Qt navigator shows one screen per route kind and calls its enter/cleanup.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum


class Screen(StrEnum):
    ATTRACT = "attract"
    HOME = "home"
    SEARCH = "search"
    DEPARTMENT = "department"
    CATEGORY = "category"
    GUIDE = "guide"
    FLOW = "flow"  # a citizen doing an item: one screen, one page per step kind
    PROBLEM = "problem"  # 办不成事: what could not get done, a number, where to go
    STEP_GUIDE = "step_guide"  # 操作指引: an item's steps as slides (or its video)
    OUT_OF_SERVICE = "out_of_service"


@dataclass(frozen=True)
class Route:
    screen: Screen
    params: dict = field(default_factory=dict, hash=False, compare=True)

    def param(self, name: str, default=None):
        return self.params.get(name, default)


ROOT_SCREENS = frozenset({Screen.ATTRACT, Screen.HOME, Screen.OUT_OF_SERVICE})


class Navigator:
    def __init__(self) -> None:
        self._stack: list[Route] = [Route(Screen.ATTRACT)]
        self._listeners: list[Callable[[Route | None, Route], None]] = []

    def subscribe(self, fn: Callable[[Route | None, Route], None]) -> None:
        self._listeners.append(fn)

    @property
    def current(self) -> Route:
        return self._stack[-1]

    @property
    def depth(self) -> int:
        return len(self._stack)

    def _emit(self, old: Route | None) -> None:
        for fn in list(self._listeners):
            fn(old, self.current)

    def go(self, screen: Screen, **params) -> None:
        old = self.current
        route = Route(screen, params)
        if route == old:
            return
        if screen in ROOT_SCREENS:
            self._stack = [route]
        else:
            self._stack.append(route)
        self._emit(old)

    def remember(self, **params) -> None:
        """Update the current route's parameters in place (e.g. the page of a list), so that
        coming back to it shows the same state. Not a move: listeners are not called."""
        cur = self._stack[-1]
        self._stack[-1] = Route(cur.screen, {**cur.params, **params})

    def back(self) -> None:
        if len(self._stack) <= 1:
            return
        old = self._stack.pop()
        self._emit(old)

    def reset(self, screen: Screen = Screen.ATTRACT) -> None:
        old = self.current
        self._stack = [Route(screen)]
        if old != self.current:
            self._emit(old)
