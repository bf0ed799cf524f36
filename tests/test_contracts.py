"""The conformance helper (tests/contracts.py) fails where isinstance() against a Protocol
passes: on a signature that does not match."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

import pytest

from contracts import assert_implements, implementation_problems


@runtime_checkable
class Port(Protocol):
    name: str

    def fetch(self, key: str, limit: int = 10, *, fresh: bool = False) -> list: ...

    def close(self) -> None: ...


class Good:
    name = "good"

    def fetch(self, key: str, limit: int = 10, *, fresh: bool = False, trace: str = "") -> list:
        return []

    def close(self) -> None:
        pass


class RenamedParameter(Good):
    def fetch(self, id_: str, limit: int = 10, *, fresh: bool = False) -> list:  # type: ignore[override]
        return []


class LostDefault(Good):
    def fetch(self, key: str, limit: int, *, fresh: bool = False) -> list:  # type: ignore[override]
        return []


class KeywordBecamePositional(Good):
    def fetch(self, key: str, limit: int = 10, fresh: bool = False) -> list:  # type: ignore[override]
        return []


class MissingKeyword(Good):
    def fetch(self, key: str, limit: int = 10) -> list:  # type: ignore[override]
        return []


class ExtraRequired(Good):
    def fetch(self, key: str, limit: int = 10, *, fresh: bool = False, user: str) -> list:  # type: ignore[override]
        return []


class Swapped(Good):
    def fetch(self, limit: int = 10, key: str = "", *, fresh: bool = False) -> list:  # type: ignore[override]
        return []


class NoName:
    def fetch(self, key: str, limit: int = 10, *, fresh: bool = False) -> list:
        return []

    def close(self) -> None:
        pass


class WithStatics(Good):
    @staticmethod
    def close() -> None:
        pass


def test_a_matching_class_and_instance_pass():
    assert_implements(Good, Port)
    assert_implements(Good(), Port)
    assert_implements(WithStatics, Port)  # a static method is called the same way
    assert_implements(WithStatics(), Port)


@pytest.mark.parametrize("cls,why", [
    (RenamedParameter, "no parameter 'key'"),
    (LostDefault, "'limit' has no default"),
    (KeywordBecamePositional, "'fresh' is positional or keyword, not keyword-only"),
    (MissingKeyword, "no parameter 'fresh'"),
    (ExtraRequired, "extra required parameter 'user'"),
    (Swapped, "'key' is not in position 1"),
])
def test_a_mismatched_signature_fails_where_isinstance_passes(cls, why):
    assert isinstance(cls(), Port)  # what the suite used to check: names only
    problems = implementation_problems(cls, Port)
    assert any(why in p and f"{cls.__name__}.fetch" in p for p in problems), problems
    with pytest.raises(AssertionError, match="does not implement"):
        assert_implements(cls(), Port)


def test_a_missing_member_or_data_member_fails():
    class NoClose:
        name = "x"

        def fetch(self, key: str, limit: int = 10, *, fresh: bool = False) -> list:
            return []

    assert implementation_problems(NoClose, Port) == ["NoClose.close: missing"]
    assert implementation_problems(NoName(), Port) == [
        "NoName.name: missing (data member of Port)"]


def test_only_protocols_are_accepted():
    with pytest.raises(TypeError):
        assert_implements(Good, Good)


def _real_implementations():
    from kiosk.catalog.repository import CatalogRepository
    from kiosk.devices.idcard import IdCardReader, SimulatedIdCardReader
    from kiosk.devices.scanner import QrScanner, WedgeScanner
    from kiosk.flows.ports import (
        BackendRecords,
        DocumentPrinter,
        EventSink,
        GuidePort,
        ReceiptPrinter,
        RecordsPort,
    )
    from kiosk.flows.problem_report import FileCounter, MemoryCounter, TicketCounter
    from kiosk.ports import PrintPort
    from kiosk.sync.adapter import BackendAdapter, HttpAdapter
    from kiosk.sync.outbox import Outbox
    from printing.cups import CupsDriver
    from printing.drivers import EscposDriver
    from printing.service import PrintService
    from printing.spooler import PrinterDriver
    from printing.virtual_a4 import FolderDriver

    return [
        (HttpAdapter, BackendAdapter), (BackendRecords, RecordsPort),
        (PrintService, PrintPort), (PrintService, DocumentPrinter), (PrintService, ReceiptPrinter),
        (Outbox, EventSink), (CatalogRepository, GuidePort),
        (SimulatedIdCardReader, IdCardReader), (WedgeScanner, QrScanner),
        (EscposDriver, PrinterDriver), (CupsDriver, PrinterDriver), (FolderDriver, PrinterDriver),
        (MemoryCounter, TicketCounter), (FileCounter, TicketCounter),
    ]


def test_the_real_implementations_match_their_ports():
    """Every port's production implementation, signatures included (the composition root
    relies on it; the fakes are checked where the tests use them)."""
    for impl, port in _real_implementations():
        assert_implements(impl, port)
