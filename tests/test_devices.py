"""Identification devices without Qt: the number pad model, identities, the ID-card reader
simulator and its failure modes, the QR keyboard-wedge detector."""

from __future__ import annotations

import copy
import pickle
import random
from datetime import date

import pytest

from contracts import assert_implements
from kiosk.devices.idcard import (
    CardEventKind,
    CardReading,
    Fault,
    IdCardData,
    IdCardReader,
    ReadFailure,
    ReadingState,
    SimulatedIdCardReader,
    simulated_photo,
)
from kiosk.devices.numpad import IdCheck, ManualIdEntry, NumpadKey
from kiosk.devices.scanner import (
    QrScanner,
    Scan,
    SimulatedScanner,
    Typed,
    WedgeDetector,
    WedgeScanner,
    detect,
)
from kiosk.devices.status import Level, Reason
from kiosk.identity import (
    Identity,
    IdentityCleared,
    IdMethod,
    InvalidIdentity,
    check_id_number,
    identity_from_qr,
)
from protocol import id_check_digit, id_number_problem, mask_id_number

TODAY = date(2026, 11, 23)


def make_id(first17: str) -> str:
    return first17 + id_check_digit(first17)


VALID = make_id("32040219900307123")  # 常州 天宁区, born 1990-03-07
NAME = "张小明"


def id_with_x() -> str:
    for seq in range(1000):
        first17 = f"11010519491231{seq:03d}"
        if id_check_digit(first17) == "X":
            return first17 + "X"
    raise AssertionError("no X check digit found")


def wrong_check(number: str) -> str:
    right = number[17]
    return number[:17] + next(c for c in "0123456789X" if c != right)


class Clock:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t

    def advance(self, s: float) -> None:
        self.t += s


# ============================================================================ number pad


def test_numpad_valid_number_is_ok_and_masked():
    pad = ManualIdEntry(today=TODAY)
    codes = [pad.press(ch) for ch in VALID]
    assert codes[:-1] == [IdCheck.TOO_SHORT] * 17
    assert codes[-1] is IdCheck.OK and pad.complete
    assert pad.display == mask_id_number(VALID) == VALID[:4] + "*" * 10 + VALID[-4:]
    ident = pad.identity()
    assert ident.method is IdMethod.MANUAL and ident.id_number == VALID and ident.name == ""
    assert VALID not in repr(pad) and VALID[6:14] not in repr(pad)


def test_numpad_display_masks_while_typing():
    pad = ManualIdEntry(today=TODAY)
    pad.enter(VALID[:8])
    assert pad.display == VALID[:8]
    pad.enter(VALID[8:12])
    assert pad.display == VALID[:4] + "****" + VALID[8:12]
    assert VALID[4:8] not in pad.display


def test_numpad_x_check_digit():
    number = id_with_x()
    pad = ManualIdEntry(today=TODAY)
    assert pad.enter(number[:17]) is IdCheck.TOO_SHORT
    assert pad.press("x") is IdCheck.OK
    assert pad.identity().id_number == number


def test_numpad_refuses_x_before_the_last_position():
    pad = ManualIdEntry(today=TODAY)
    pad.enter("3204")
    assert pad.press("X") is IdCheck.BAD_FORMAT
    assert pad.length == 4 and pad.check is IdCheck.TOO_SHORT


def test_numpad_refuses_a_nineteenth_character():
    pad = ManualIdEntry(today=TODAY)
    pad.enter(VALID)
    assert pad.press("1") is IdCheck.TOO_LONG
    assert pad.length == 18 and pad.check is IdCheck.OK
    assert check_id_number(VALID + "1") is IdCheck.TOO_LONG


def test_numpad_bad_check_digit_and_typo():
    pad = ManualIdEntry(today=TODAY)
    assert pad.enter(wrong_check(VALID)) is IdCheck.BAD_CHECK_DIGIT
    assert not pad.complete
    with pytest.raises(InvalidIdentity) as exc:
        pad.identity()
    assert exc.value.code == "id.bad_check_digit" and VALID[:17] not in str(exc.value)
    # one mistyped digit of the sequence: only the check digit can tell
    typo = VALID[:15] + str((int(VALID[15]) + 1) % 10) + VALID[16:]
    assert check_id_number(typo, TODAY) is IdCheck.BAD_CHECK_DIGIT
    # backspace and the right last character fixes it
    pad.press(NumpadKey.BACKSPACE)
    assert pad.press(VALID[17]) is IdCheck.OK


@pytest.mark.parametrize("birth", ["19901332", "19900230", "18700101", "20270101"])
def test_numpad_bad_birth_date_reported_after_fourteen_digits(birth):
    pad = ManualIdEntry(today=TODAY)
    codes = [pad.press(ch) for ch in "320402" + birth]
    assert codes[-2] is IdCheck.TOO_SHORT  # 13 digits: the date is not complete yet
    assert codes[-1] is IdCheck.BAD_BIRTH_DATE
    # and still when complete, even with the check digit right for the digits
    full = make_id("320402" + birth + "123")
    assert check_id_number(full, TODAY) is IdCheck.BAD_BIRTH_DATE
    assert id_number_problem(full, TODAY) is not None


def test_numpad_bad_region_after_two_digits():
    pad = ManualIdEntry(today=TODAY)
    assert pad.press("9") is IdCheck.TOO_SHORT
    assert pad.press("9") is IdCheck.BAD_REGION
    pad.press(NumpadKey.CLEAR)
    assert pad.length == 0 and pad.check is IdCheck.TOO_SHORT


def test_numpad_rejects_keys_that_are_not_on_it():
    with pytest.raises(ValueError):
        ManualIdEntry().press("A")


def test_check_agrees_with_the_protocol_on_many_numbers():
    """OK exactly when the protocol (the backend's rule) accepts: no second GB 11643 here."""
    rng = random.Random(11643)
    provinces = ["11", "32", "44", "65", "81", "99", "00"]
    for _ in range(3000):
        first17 = (rng.choice(provinces) + f"{rng.randrange(10000):04d}"
                   + f"{rng.randrange(1860, 2030)}{rng.randrange(0, 14):02d}"
                   + f"{rng.randrange(0, 33):02d}" + f"{rng.randrange(1000):03d}")
        last = id_check_digit(first17) if rng.random() < 0.5 else rng.choice("0123456789X")
        number = first17 + last
        ok = check_id_number(number, TODAY) is IdCheck.OK
        assert ok == (id_number_problem(number, TODAY) is None), number


# ============================================================================ identity


def test_identity_redacts_and_clears():
    ident = Identity(VALID, IdMethod.ID_CARD, name=NAME, today=TODAY)
    for shown in (repr(ident), str(ident), f"{ident}", repr([ident])):
        assert VALID not in shown and NAME not in shown and VALID[6:14] not in shown
    assert ident.masked == mask_id_number(VALID) and ident.masked_name == "张*明"
    with pytest.raises(TypeError):
        pickle.dumps(ident)
    with pytest.raises(TypeError):
        copy.copy(ident)
    ident.clear()
    assert ident.cleared and ident.masked == "" and repr(ident) == "Identity(<cleared>)"
    with pytest.raises(IdentityCleared):
        ident.id_number  # noqa: B018
    with pytest.raises(IdentityCleared):
        ident.name  # noqa: B018


def test_identity_refuses_an_invalid_number():
    with pytest.raises(InvalidIdentity) as exc:
        Identity(wrong_check(VALID), IdMethod.MANUAL, today=TODAY)
    assert exc.value.code == "id.bad_check_digit"


def test_identity_from_qr_codes():
    assert identity_from_qr(VALID, TODAY).id_number == VALID
    ident = identity_from_qr(f"https://zwfw.example.gov.cn/id?sfzh={VALID}&xm={NAME}", TODAY)
    assert ident.method is IdMethod.QR and ident.id_number == VALID and ident.name == NAME
    assert identity_from_qr(f"idno={VALID.lower()};name={NAME}", TODAY).id_number == VALID
    for junk in ("", "https://pay.example.com/qr/abc", "hello", "x" * 600):
        with pytest.raises(InvalidIdentity) as exc:
            identity_from_qr(junk, TODAY)
        assert exc.value.code == "id.qr.unrecognised"
    with pytest.raises(InvalidIdentity) as exc:
        identity_from_qr(f"sfzh={wrong_check(VALID)}", TODAY)
    assert exc.value.code == "id.bad_check_digit"
    assert VALID[:17] not in str(exc.value)


# ============================================================================ ID-card reader


CARD = IdCardData(VALID, NAME, date(2030, 5, 1))


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def reader(clock):
    return SimulatedIdCardReader(clock, read_s=0.8, timeout_s=3.0)


def kinds(events):
    return [e.kind for e in events]


def test_simulator_is_an_id_card_reader(reader):
    assert_implements(reader, IdCardReader)
    assert reader.status().level is Level.OK


def test_card_read_and_removed(reader, clock):
    reading = CardReading(reader, today=TODAY)
    assert reading.start().code == "id.card.waiting"
    clock.advance(2)
    assert reading.poll().state is ReadingState.WAITING
    reader.place(CARD)
    update = reading.poll()
    assert update.state is ReadingState.READING and update.code == "id.card.reading"
    clock.advance(0.5)
    assert reading.poll().identity is None
    clock.advance(0.4)
    update = reading.poll()
    assert update.state is ReadingState.DONE and update.code == "id.card.ok"
    ident = update.identity
    assert ident.id_number == VALID and ident.name == NAME and ident.method is IdMethod.ID_CARD
    # the reading keeps nothing of the citizen
    assert VALID not in repr(vars(reading)) and NAME not in repr(vars(reading))
    assert VALID not in repr(update) and NAME not in repr(update) and "redacted" in repr(CARD)


def test_raw_events_in_order(reader, clock):
    reader.start()
    reader.place(CARD)
    clock.advance(1)
    reader.remove()
    events = reader.poll()
    assert kinds(events) == [CardEventKind.CARD_PRESENT, CardEventKind.READ,
                             CardEventKind.REMOVED]
    assert events[1].at == pytest.approx(events[0].at + 0.8)
    data = events[1].data  # the card as placed, with the photo its chip always holds
    assert (data.id_number, data.name, data.valid_until) == (CARD.id_number, CARD.name,
                                                             CARD.valid_until)
    assert data.photo == simulated_photo(CARD.id_number) and CARD.photo is None


def test_card_lying_on_the_reader_is_found_at_start_and_read_once(reader, clock):
    reader.place(CARD)  # before anyone asked: no events
    assert reader.poll() == []
    reader.start()
    clock.advance(1)
    assert kinds(reader.poll()) == [CardEventKind.CARD_PRESENT, CardEventKind.READ]
    clock.advance(10)
    assert reader.poll() == []  # still lying there: not read again
    reader.remove()
    reader.place(CARD)
    clock.advance(1)
    assert kinds(reader.poll()) == [CardEventKind.REMOVED, CardEventKind.CARD_PRESENT,
                                    CardEventKind.READ]


def test_card_removed_during_read(reader, clock):
    reading = CardReading(reader, today=TODAY)
    reading.start()
    reader.place(CARD)
    clock.advance(0.3)
    reader.remove()
    events = reader.poll()
    assert kinds(events) == [CardEventKind.CARD_PRESENT, CardEventKind.READ_ERROR,
                             CardEventKind.REMOVED]
    assert events[1].failure is ReadFailure.REMOVED
    reader.place(CARD)
    reader.remove()
    clock.advance(1)
    reader.place(CARD)
    clock.advance(0.1)
    reader.remove()
    update = reading.poll()
    assert update.state is ReadingState.FAILED and update.code == "id.card.removed_during_read"
    # placing it again starts over and succeeds
    reader.place(CARD)
    assert reading.poll().state is ReadingState.READING
    clock.advance(1)
    assert reading.poll().identity is not None


def test_partial_read_is_not_believed(reader, clock):
    reading = CardReading(reader, today=TODAY)
    reading.start()
    reader.fail_next_read(Fault.PARTIAL)
    reader.place(CARD)
    clock.advance(1)
    update = reading.poll()
    assert update.state is ReadingState.FAILED and update.code == "id.card.partial_read"
    assert update.identity is None
    reader.remove()
    reader.place(CARD)
    clock.advance(1)
    assert reading.poll().identity.id_number == VALID


def test_reader_timeout(reader, clock):
    reading = CardReading(reader, today=TODAY)
    reading.start()
    reader.fail_next_read(Fault.TIMEOUT)
    reader.place(CARD)
    clock.advance(2.9)
    assert reading.poll().state is ReadingState.READING  # still waiting for the reader
    clock.advance(0.2)
    update = reading.poll()
    assert update.state is ReadingState.FAILED and update.code == "id.card.timeout"
    assert reader.status().level is Level.WARNING and reader.status().reason is Reason.TIMEOUT
    reader.remove()
    reader.place(CARD)
    clock.advance(1)
    assert reading.poll().identity is not None
    assert reader.status().level is Level.OK


def test_unreadable_card(reader, clock):
    reading = CardReading(reader, today=TODAY)
    reading.start()
    reader.fail_next_read("unreadable")
    reader.place(CARD)
    clock.advance(1)
    assert reading.poll().code == "id.card.unreadable"


def test_reader_unplugged_during_read_and_back(reader, clock):
    reading = CardReading(reader, today=TODAY)
    reading.start()
    reader.place(CARD)
    clock.advance(0.2)
    reader.unplug()
    events_code = reading.poll()
    assert events_code.state is ReadingState.FAILED
    assert events_code.code == "id.card.reader_offline"
    assert reader.status().level is Level.OFFLINE and not reader.status().usable
    clock.advance(5)
    assert reading.poll().code == "id.card.reader_offline"
    reader.plug()
    clock.advance(1)
    update = reading.poll()
    assert update.state is ReadingState.DONE and update.identity.id_number == VALID


def test_reader_offline_before_start(reader):
    reader.unplug()
    update = CardReading(reader, today=TODAY).start()
    assert update.state is ReadingState.FAILED and update.code == "id.card.reader_offline"


def test_expired_card(reader, clock):
    reading = CardReading(reader, today=TODAY)
    reading.start()
    reader.place(IdCardData(VALID, NAME, date(2020, 1, 1)))
    clock.advance(1)
    assert reading.poll().code == "id.card.expired"
    reader.remove()
    reader.place(IdCardData(VALID, NAME, None))  # 长期
    clock.advance(1)
    assert reading.poll().state is ReadingState.DONE


def test_stopped_reader_reports_nothing(reader, clock):
    reader.start()
    reader.place(CARD)
    reader.stop()
    clock.advance(1)
    assert reader.poll() == []
    with pytest.raises(ValueError):
        SimulatedIdCardReader(clock, read_s=3, timeout_s=1)


# ============================================================================ QR wedge


ID_QR = f"sfzh={VALID}&xm=ZXM"
URL_QR = "https://zwfw.example.gov.cn/qr/v1/0f8c2b7e4a1d4e6f9a3b5c7d9e1f2a4b?src=kiosk&t=1732345678"


def human(text: str, gaps: list[float], start: float = 5.0) -> list[tuple[str, float]]:
    out, t = [], start
    for i, ch in enumerate(text):
        if i:
            t += gaps[(i - 1) % len(gaps)]
        out.append((ch, t))
    return out


@pytest.mark.parametrize("seed", range(20))
@pytest.mark.parametrize("payload", [VALID, ID_QR, URL_QR])
def test_scanner_burst_is_a_scan(seed, payload):
    keys = SimulatedScanner(seed).keystrokes(payload, start=3.0)
    assert keys[-1][0] == "\r"
    assert detect(keys) == [Scan(payload)]


def test_scan_repr_does_not_show_the_code():
    assert VALID not in repr(Scan(VALID)) and VALID not in repr(Typed(VALID))


@pytest.mark.parametrize("seed", range(10))
def test_human_typing_is_typing(seed):
    rng = random.Random(seed)
    gaps = [rng.uniform(0.12, 0.35) for _ in range(30)]
    keys = human("3204021990\n", gaps)
    out = detect(keys)
    assert not any(isinstance(r, Scan) for r in out)
    assert "".join(r.text for r in out) == "3204021990\n"


@pytest.mark.parametrize("seed", range(20))
def test_fast_typist_is_not_a_scan(seed):
    """A very fast typist (about 150-200 words a minute) with key rollover: some pairs come
    10-25 ms apart, the rest 45-95 ms. Ending in Enter, it is still typing."""
    rng = random.Random(seed)
    gaps = [rng.uniform(0.010, 0.025) if rng.random() < 0.3 else rng.uniform(0.045, 0.095)
            for _ in range(40)]
    text = "zhengwufuwu zixun 12345\n"
    out = detect(human(text, gaps))
    assert not any(isinstance(r, Scan) for r in out)
    assert "".join(r.text for r in out) == text


def test_short_fast_burst_is_typing():
    out = detect([("1", 0.0), ("2", 0.01), ("3", 0.02), ("\r", 0.03)])
    assert out == [Typed("123"), Typed("\n")]


def test_burst_without_enter_is_released_as_typing():
    d = WedgeDetector()
    keys = SimulatedScanner(1).keystrokes(VALID)[:-1]
    out = []
    for ch, t in keys:
        out += d.feed(ch, t)
    assert out == [] and d.holding
    last = keys[-1][1]
    assert d.flush(last + 0.05) == []  # could still be a scan
    assert d.flush(last + 0.2) == [Typed(VALID)]


def test_typing_then_a_scan():
    keys = human("ab", [0.2], start=1.0) + SimulatedScanner(3).keystrokes(VALID, start=2.0)
    out = detect(keys)
    assert out[-1] == Scan(VALID)
    assert all(isinstance(r, Typed) for r in out[:-1]) and "".join(r.text for r in out[:-1]) == "ab"


def test_wedge_scanner_port():
    sc = WedgeScanner()
    assert isinstance(sc, QrScanner) and sc.status().usable
    leaked = SimulatedScanner(7).scan_into(sc, ID_QR, start=10.0)
    assert leaked == "" and sc.poll() == [ID_QR] and sc.poll() == []
    typed = "".join(sc.key(ch, t) for ch, t in human("12", [0.3], start=20.0))
    assert typed + sc.tick(21.0) == "12"
    with pytest.raises(ValueError):
        WedgeDetector(mean_gap_s=0.1, max_gap_s=0.05)
