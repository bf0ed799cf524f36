"""The outbox: saved first, deleted only when acknowledged, backoff, no personal data."""

from __future__ import annotations

import json
import random
from datetime import datetime, timedelta

import pytest

from kiosk.privacy import PersonalDataError, contains_id_number
from protocol import mask_id_number
from kiosk.store.db import open_store
from kiosk.sync.outbox import Outbox, backoff_s


class Clock:
    def __init__(self):
        self.now = datetime(2026, 11, 23, 12, 0, 0)

    def __call__(self):
        return self.now


@pytest.fixture
def outbox(tmp_path):
    store = open_store(tmp_path / "k.sqlite3")
    yield Outbox(store, clock=Clock(), rng=random.Random(1))
    store.close()


def test_add_batch_acknowledge(outbox):
    keys = [outbox.add("rating", {"level": 5, "item": "RS-000001"}) for _ in range(5)]
    assert len(set(keys)) == 5 and outbox.pending_count() == 5
    batch = outbox.next_batch(limit=3)
    assert [e.idempotency_key for e in batch] == keys[:3]
    assert batch[0].as_wire()["payload"] == {"item": "RS-000001", "level": 5}
    assert outbox.acknowledge([e.idempotency_key for e in batch]) == 3
    assert outbox.pending_count() == 2
    assert outbox.acknowledge(keys[:3]) == 0  # acknowledging twice is harmless


def test_events_survive_reopening_the_store(tmp_path):
    store = open_store(tmp_path / "k.sqlite3")
    key = Outbox(store).add("problem_report", {"what": "printer_jam"})
    store.close()
    store = open_store(tmp_path / "k.sqlite3")
    assert [e.idempotency_key for e in Outbox(store).next_batch()] == [key]
    store.close()


def test_defer_backs_off_and_reject_is_kept(outbox, tmp_path):
    a = outbox.add("telemetry", {"n": 1})
    b = outbox.add("telemetry", {"n": 2})
    outbox.defer([a], "connection refused")
    assert [e.idempotency_key for e in outbox.next_batch()] == [b]
    outbox.clock.now += timedelta(seconds=6)
    assert {e.idempotency_key for e in outbox.next_batch()} == {a, b}
    outbox.reject(b, "unknown item")
    assert outbox.pending_count() == 1 and outbox.rejected_count() == 1
    assert outbox.export(tmp_path / "out.jsonl") == 2
    lines = [json.loads(x) for x in (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()]
    assert {x["state"] for x in lines} == {"pending", "rejected"}


def test_backoff_grows_and_is_capped():
    rng = random.Random(0)
    waits = [backoff_s(n, rng) for n in range(1, 12)]
    assert 2.5 <= waits[0] <= 5 and waits[3] > waits[0]
    assert max(waits) <= 600


def test_refuses_personal_data(outbox):
    with pytest.raises(PersonalDataError):
        outbox.add("transaction", {"holder": "11010519491231002X"})
    with pytest.raises(PersonalDataError):
        outbox.add("rating", {"comment": ["ok", {"id": "110105194912310021"}]})
    with pytest.raises(ValueError):
        outbox.add("gossip", {})
    assert outbox.pending_count() == 0


def test_privacy_helpers():
    assert contains_id_number("身份证 32010219800101123X 已核验")
    assert not contains_id_number("工单号 2026112300012")
    assert mask_id_number("320102198001011234") == "3201**********1234"
