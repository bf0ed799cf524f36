"""Conformance to a Protocol, signatures included.

`isinstance(x, SomePort)` against a runtime-checkable Protocol looks at member names only: a
method with another parameter name, a missing keyword or a lost default passes it and breaks at
the first real call. `assert_implements(x, SomePort)` also compares each method's parameters.

`x` is compatible with a protocol method when it accepts every call the protocol allows:
- each protocol parameter is there, with the same name and kind (positional ones at the same
  place; keyword-only ones in any order), and has a default where the protocol's has one;
- any further parameter of `x` is optional (a default, or *args / **kwargs).
Annotations are not compared (they are strings under `from __future__ import annotations`).
Data members (annotations in the protocol's body, e.g. `credential: str | None`) must exist on
an instance; a class is not checked for them (its __init__ may set them).
"""

from __future__ import annotations

import inspect
from typing import Any

_P = inspect.Parameter
_POSITIONAL = (_P.POSITIONAL_ONLY, _P.POSITIONAL_OR_KEYWORD)
_VARIADIC = (_P.VAR_POSITIONAL, _P.VAR_KEYWORD)


def protocol_members(proto: type) -> dict[str, Any]:
    """Name -> the protocol's attribute (None for a data member), own and inherited protocols'."""
    if not getattr(proto, "_is_protocol", False):
        raise TypeError(f"{proto!r} is not a Protocol")
    members: dict[str, Any] = {}
    for klass in reversed(proto.__mro__):
        if klass is object or not getattr(klass, "_is_protocol", False) or \
                klass.__module__ == "typing":
            continue
        for name in getattr(klass, "__annotations__", {}):
            if not name.startswith("_"):
                members[name] = None
        for name, value in vars(klass).items():
            if not name.startswith("_") and callable(_unwrap(value)):
                members[name] = value
    return members


def _unwrap(value: Any) -> Any:
    return value.__func__ if isinstance(value, (staticmethod, classmethod)) else value


def _signature(raw: Any, *, bound: bool) -> inspect.Signature:
    """The signature as a caller sees it: without `self` (or `cls`)."""
    if isinstance(raw, staticmethod):
        return inspect.signature(raw.__func__)
    if isinstance(raw, classmethod):
        raw, bound = raw.__func__, False
    sig = inspect.signature(raw)
    if not bound and inspect.isfunction(raw):
        params = list(sig.parameters.values())[1:]
        sig = sig.replace(parameters=params)
    return sig


def signature_problems(expected: inspect.Signature, actual: inspect.Signature) -> list[str]:
    """Why `actual` does not accept every call `expected` allows (empty if it does)."""
    problems = []
    exp, act = list(expected.parameters.values()), list(actual.parameters.values())
    act_by_name = {a.name: a for a in act}
    exp_positional = [e for e in exp if e.kind in _POSITIONAL]
    act_positional = [a for a in act if a.kind in _POSITIONAL]
    for i, e in enumerate(exp):
        a = act_by_name.get(e.name)
        if a is None:
            problems.append(f"no parameter {e.name!r}")
            continue
        if a.kind != e.kind:
            problems.append(f"{e.name!r} is {a.kind.description}, not {e.kind.description}")
            continue
        if e.kind in _POSITIONAL and act_positional.index(a) != exp_positional.index(e):
            problems.append(f"{e.name!r} is not in position {exp_positional.index(e) + 1}")
        if e.default is not _P.empty and a.default is _P.empty:
            problems.append(f"{e.name!r} has no default")
    expected_names = {e.name for e in exp}
    for a in act:
        if a.name not in expected_names and a.kind not in _VARIADIC and a.default is _P.empty:
            problems.append(f"extra required parameter {a.name!r}")
    return problems


def implementation_problems(obj_or_cls: Any, proto: type) -> list[str]:
    is_class = isinstance(obj_or_cls, type)
    cls = obj_or_cls if is_class else type(obj_or_cls)
    where = cls.__name__
    problems = []
    for name, member in protocol_members(proto).items():
        if member is None:  # a data member: on a class it may be set in __init__, unseen
            if not is_class and not hasattr(obj_or_cls, name):
                problems.append(f"{where}.{name}: missing (data member of {proto.__name__})")
            continue
        try:
            raw = inspect.getattr_static(cls, name) if is_class else getattr(obj_or_cls, name)
        except AttributeError:
            problems.append(f"{where}.{name}: missing")
            continue
        if not callable(_unwrap(raw)):
            problems.append(f"{where}.{name}: not a method")
            continue
        expected = _signature(member, bound=False)
        actual = _signature(raw, bound=not is_class)
        problems += [f"{where}.{name}{actual}: {why} (protocol: {name}{expected})"
                     for why in signature_problems(expected, actual)]
    return problems


def assert_implements(obj_or_cls: Any, *protocols: type) -> None:
    """Fail, naming every mismatch, unless `obj_or_cls` implements each protocol with compatible
    signatures. Pass an instance to see attributes set in __init__ (data members, callables)."""
    problems = [p for proto in protocols for p in implementation_problems(obj_or_cls, proto)]
    assert not problems, "does not implement the protocol:\n  " + "\n  ".join(problems)
