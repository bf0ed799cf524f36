"""The SAM serial ID-card reader: the frame codec and the text block as pure functions, then the
real driver (pyserial on a pseudo-terminal) against `SamSimulator`, a SAM that answers like a
GA 467 reader and fails in every way one does. Timeouts are short so each test stays well
under two seconds."""

from __future__ import annotations

import logging
import random
import time
from datetime import date

import pytest

from kiosk.config import ConfigError, parse_config
from kiosk.devices.idcard import (
    CardEventKind,
    CardReading,
    IdCardReader,
    ReadFailure,
    ReadingState,
)
from kiosk.devices.sam_reader import (
    FIND,
    READ,
    SAM_STATUS,
    SELECT,
    CardDataError,
    Deframer,
    FrameError,
    Response,
    SamSerialReader,
    Sw3,
    decode_command,
    decode_response,
    encode_command,
    encode_response,
    failure_for,
    make_sam_reader,
    parse_read_data,
    parse_text_block,
    parse_valid_until,
)
from kiosk.devices.sam_sim import (
    DEMO_CARD,
    SamFault,
    SamSimulator,
    demo_card,
    read_answer_data,
    text_block,
)
from kiosk.devices.status import Level, Reason
from kiosk.identity import IdMethod

TODAY = date(2026, 11, 23)
NAME, NUMBER = DEMO_CARD.name, DEMO_CARD.id_number
K = CardEventKind


def kinds(events):
    return [e.kind for e in events]


# ============================================================================ frames


@pytest.mark.parametrize("command, wire", [
    (FIND, "AAAAAA96690003200122"),  # the bytes every public driver sends
    (SELECT, "AAAAAA96690003200221"),
    (READ, "AAAAAA96690003300132"),
    ((0x12, 0xFF), "AAAAAA9669000312FFEE"),  # read the SAM's id
    (SAM_STATUS, "AAAAAA9669000311FFED"),
])
def test_commands_are_the_published_bytes(command, wire):
    assert encode_command(*command) == bytes.fromhex(wire)
    assert decode_command(bytes.fromhex(wire)).command == command


@pytest.mark.parametrize("wire, sw3, data_len", [
    ("AAAAAA9669000800009F0000000097", Sw3.FOUND, 4),
    ("AAAAAA9669000400008084", Sw3.NO_CARD, 0),
    ("AAAAAA9669000C00009000000000000000009C", Sw3.OK, 8),
    ("AAAAAA9669000400008185", Sw3.SELECT_FAILED, 0),
    ("AAAAAA9669000400004145", Sw3.READ_FAILED, 0),
    ("AAAAAA9669000400003236", Sw3.SAM_REJECTED_CARD, 0),
])
def test_published_answers_decode(wire, sw3, data_len):
    answer = decode_response(bytes.fromhex(wire))
    assert answer.sw3 == sw3 and len(answer.data) == data_len
    assert encode_response(sw3, answer.data) == bytes.fromhex(wire)


def test_a_read_answer_has_the_published_shape():
    frame = encode_response(Sw3.OK, read_answer_data(DEMO_CARD.text_block()))
    assert len(frame) == 1295
    assert frame[:14] == bytes.fromhex("AAAAAA9669 0508 000090 0100 0400".replace(" ", ""))


def test_round_trips_and_checksums():
    rng = random.Random(7)
    for _ in range(200):
        data = rng.randbytes(rng.randrange(0, 1400))
        sw3, cmd, para = rng.randrange(256), rng.randrange(256), rng.randrange(256)
        frame = encode_response(sw3, data)
        assert frame[-1] == _xor(frame[5:-1])
        assert decode_response(frame) == Response(0, 0, sw3, data)
        assert decode_command(encode_command(cmd, para, data)).data == data
        broken = bytearray(frame)
        broken[rng.randrange(7, len(frame))] ^= 1 << rng.randrange(8)
        with pytest.raises(FrameError) as exc:
            decode_response(bytes(broken))
        assert exc.value.reason == "checksum"


def _xor(body: bytes) -> int:
    out = 0
    for b in body:
        out ^= b
    return out


def test_a_bad_frame_is_dropped_and_the_next_one_found():
    good = encode_response(Sw3.FOUND, bytes(4))
    bad = bytearray(encode_response(Sw3.OK, b"x" * 20))
    bad[-1] ^= 0xFF
    d = Deframer(min_length=4)
    d.feed(b"\x00\x13noise" + bytes(bad) + good)
    with pytest.raises(FrameError) as exc:
        d.next()
    assert exc.value.reason == "checksum"
    assert d.next() == bytes([0, 0, Sw3.FOUND]) + bytes(4)
    assert d.next() is None and d.noise >= 7


def test_frames_arrive_in_pieces():
    frame = encode_response(Sw3.OK, read_answer_data(DEMO_CARD.text_block()))
    d = Deframer(min_length=4)
    pieces = [frame[i:i + 100] for i in range(0, len(frame), 100)]
    for piece in pieces[:-1]:
        d.feed(piece)
        assert d.next() is None
    assert d.in_frame
    d.feed(pieces[-1])
    assert d.next() is not None and d.buffered == 0


@pytest.mark.parametrize("length", [0, 3, 0x1001, 0xFFFF])
def test_impossible_lengths_resync(length):
    d = Deframer(min_length=4)
    d.feed(bytes.fromhex("AAAAAA9669") + length.to_bytes(2, "big") + b"\x00" * 8
           + encode_response(Sw3.NO_CARD))
    with pytest.raises(FrameError) as exc:
        d.next()
    assert exc.value.reason == "length"
    assert d.next() == bytes([0, 0, Sw3.NO_CARD])


def test_whole_frame_errors():
    frame = encode_response(Sw3.FOUND, bytes(4))
    with pytest.raises(FrameError, match="truncated"):
        decode_response(frame[:-3])
    with pytest.raises(FrameError, match="garbled"):
        decode_response(b"\x01\x02\x03\x04\x05\x06\x07\x08")
    with pytest.raises(FrameError, match="garbled"):
        decode_response(frame + b"\x00")


def test_a_response_never_shows_its_data():
    answer = decode_response(encode_response(Sw3.OK, read_answer_data(DEMO_CARD.text_block())))
    assert "data" not in repr(answer) and NAME not in repr(answer)


# ============================================================================ the text block


def test_text_block_long_term_and_a_date():
    card = parse_text_block(DEMO_CARD.text_block())
    assert (card.id_number, card.name, card.valid_until) == (NUMBER, NAME, None)
    card = parse_text_block(demo_card(date(2031, 2, 28)).text_block())
    assert card.valid_until == date(2031, 2, 28)
    assert "redacted" in repr(card) and NAME not in repr(card)


def test_the_field_widths_add_up_to_the_published_offsets():
    block = DEMO_CARD.text_block()
    assert block[0:4].decode("utf-16-le") == NAME
    assert block[122:158].decode("utf-16-le") == NUMBER
    assert block[204:220].decode("utf-16-le").rstrip() == "长期"


@pytest.mark.parametrize("name, expected", [
    ("𠮷野家", "𠮷野家"),  # outside the BMP: a surrogate pair decodes as UTF-16 does
    ("阿依古丽·买买提", "阿依古丽·买买提"),  # 8 characters and a middle dot
    ("李\ue000", "李\ue000"),  # a private-use character (生僻字 outside the repertoire): kept
])
def test_names_with_rare_characters(name, expected):
    assert parse_text_block(demo_card(name=name).text_block()).name == expected


def test_a_lone_surrogate_becomes_a_replacement_character():
    block = bytearray(DEMO_CARD.text_block())
    block[2:4] = b"\x42\xd8"  # the first half of a surrogate pair, then a space
    assert parse_text_block(bytes(block)).name == "张\ufffd"


def test_a_name_longer_than_its_field_cannot_be_written():
    with pytest.raises(ValueError):
        text_block(name="一二三四五六七八九十一二三四五六")


@pytest.mark.parametrize("value", ["2031022", "20310230", "2031O228", "长", "", "２０３１０２２８"])
def test_bad_valid_until(value):
    with pytest.raises(CardDataError):
        parse_valid_until(value)


def test_text_blocks_that_are_not_a_resident_card():
    with pytest.raises(CardDataError):
        parse_text_block(DEMO_CARD.text_block()[:200])
    with pytest.raises(CardDataError, match="foreigner"):
        parse_text_block(demo_card(card_type="I").text_block())
    assert parse_text_block(demo_card(card_type="J").text_block()).id_number == NUMBER


def test_read_data_lengths_must_add_up_and_the_photo_is_kept_for_the_face_check():
    photo = bytes(range(256)) * 4
    data = read_answer_data(DEMO_CARD.text_block(), photo)
    card = parse_read_data(data)
    assert set(vars(card)) == {"id_number", "name", "valid_until", "photo"}
    assert card.photo == photo  # raw (WLT): the face verifier decodes it
    assert "photo" not in repr(card) and repr(card) == "IdCardData(<redacted>)"
    for broken in (data[:-1], data + b"\x00", b"\x01\x00", b"\x00\xff\x04\x00" + data[4:]):
        with pytest.raises(CardDataError):
            parse_read_data(broken)


def test_failure_mapping():
    assert failure_for(Sw3.READ_FAILED, card_still_there=False) is ReadFailure.REMOVED
    assert failure_for(Sw3.SELECT_FAILED, card_still_there=False) is ReadFailure.REMOVED
    assert failure_for(Sw3.READ_FAILED, card_still_there=True) is ReadFailure.UNREADABLE
    for sw3 in (0x10, 0x11, 0x21, 0x23, 0x24, 0x31, 0x32, 0x33, 0x40, 0x47, 0x60, 0x66, 0x91, 0x55):
        assert failure_for(sw3, card_still_there=False) is ReadFailure.UNREADABLE


# ============================================================================ the driver


@pytest.fixture
def sim(tmp_path):
    s = SamSimulator(tmp_path / "ttyID0")
    yield s
    s.close()


FAST = {"answer_timeout_s": 0.1, "read_timeout_s": 0.25, "poll_interval_s": 0.02,
        "offline_after": 3, "backoff_min_s": 0.05, "backoff_max_s": 0.1}


@pytest.fixture
def make_reader(sim):
    readers = []

    def make(url=None, **overrides):
        r = SamSerialReader(url or sim.path, **{**FAST, **overrides})
        readers.append(r)
        return r

    yield make
    for r in readers:
        r.close()


@pytest.fixture
def reader(make_reader):
    r = make_reader()
    r.open(wait_s=1)
    return r


def collect(reader, until, timeout=1.5):
    """Poll like the UI timer until `until(events so far)`."""
    got = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        got += reader.poll()
        if until(got):
            return got
        time.sleep(0.005)
    raise AssertionError(f"gave up waiting; events: {kinds(got)}, status: {reader.status()}")


def ends_with(*expected):
    return lambda got: kinds(got)[-len(expected):] == list(expected)


def wait_status(reader, level, timeout=1.5):
    deadline = time.monotonic() + timeout
    while reader.status().level is not level:
        if time.monotonic() > deadline:
            raise AssertionError(f"status stayed {reader.status()}")
        time.sleep(0.005)
    return reader.status()


def lift(sim, timeout=1.5):
    """Take the card away and wait until the driver has looked at the empty reader at least
    once (two more finds: one whole probe after the card left)."""
    seen = sim.count(FIND)
    sim.remove()
    deadline = time.monotonic() + timeout
    while sim.count(FIND) < seen + 2:
        assert time.monotonic() < deadline, "the driver stopped polling"
        time.sleep(0.005)


def read_card(reading, timeout=1.5):
    """Poll like the identify screen until this attempt ends: identified, or failed (after an
    earlier failure, only once a new attempt has begun)."""
    fresh = reading.state is not ReadingState.FAILED
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        update = reading.poll()
        if update.state is ReadingState.DONE or (update.state is ReadingState.FAILED and fresh):
            return update
        fresh = fresh or update.state is not ReadingState.FAILED
        time.sleep(0.005)
    raise AssertionError(f"reading stayed {reading}")


def test_is_an_id_card_reader(reader):
    assert isinstance(reader, IdCardReader)
    assert reader.status().level is Level.OK
    assert reader.poll() == []


def test_a_card_read_end_to_end_into_an_identity(reader, sim):
    reading = CardReading(reader, today=TODAY)
    assert reading.start().code == "id.card.waiting"
    sim.place(DEMO_CARD)
    update = read_card(reading)
    assert update.state is ReadingState.DONE and update.code == "id.card.ok"
    ident = update.identity
    assert (ident.id_number, ident.name, ident.method) == (NUMBER, NAME, IdMethod.ID_CARD)
    assert not ident.verified  # the face check verifies it (kiosk.devices.face)
    assert update.photo == bytes(range(256)) * 4 and "photo" not in repr(update)
    assert NUMBER not in repr(vars(reading)) and NAME not in repr(reader)


@pytest.mark.parametrize("sticky_find", [False, True], ids=["find-80-once-found", "find-9F-always"])
def test_a_card_is_read_once_until_it_leaves(tmp_path, make_reader, sticky_find):
    sim = SamSimulator(tmp_path / "ttyS", sticky_find=sticky_find)
    try:
        reader = make_reader(sim.path)
        reader.start()
        sim.place(DEMO_CARD)
        events = collect(reader, ends_with(K.READ))
        assert kinds(events) == [K.CARD_PRESENT, K.READ]
        assert events[1].data.id_number == NUMBER and events[1].at >= events[0].at
        time.sleep(0.2)  # ten polls with the card lying there
        assert reader.poll() == [] and sim.count(READ) == 1
        sim.remove()
        assert kinds(collect(reader, ends_with(K.REMOVED))) == [K.REMOVED]
        sim.place(DEMO_CARD)
        assert kinds(collect(reader, ends_with(K.READ))) == [K.CARD_PRESENT, K.READ]
        assert sim.count(READ) == 2
    finally:
        reader.close()
        sim.close()


def test_a_card_lying_there_before_start_is_read_at_start(reader, sim):
    sim.place(demo_card(date(2030, 5, 1)))
    time.sleep(0.1)
    assert reader.poll() == [] and sim.count(READ) == 0  # tracked, not read: nobody asked
    reader.start()
    events = collect(reader, ends_with(K.READ))
    assert kinds(events) == [K.CARD_PRESENT, K.READ]
    assert events[-1].data.valid_until == date(2030, 5, 1)


def test_an_expired_card(reader, sim):
    reading = CardReading(reader, today=TODAY)
    reading.start()
    sim.place(demo_card(date(2020, 1, 1)))
    assert read_card(reading).code == "id.card.expired"


@pytest.mark.parametrize("fault", [SamFault.BAD_CHECKSUM, SamFault.TRUNCATED, SamFault.GARBLED])
def test_a_damaged_answer_is_unreadable_and_the_next_placement_reads(reader, sim, fault):
    reading = CardReading(reader, today=TODAY)
    reading.start()
    sim.fail_next_read(fault)
    sim.place(DEMO_CARD)
    update = read_card(reading)
    assert update.state is ReadingState.FAILED and update.code == "id.card.unreadable"
    assert reader.status().level is Level.OK  # the line works: the answer was damaged
    lift(sim)
    sim.place(DEMO_CARD)
    assert read_card(reading).identity.id_number == NUMBER


@pytest.mark.parametrize("sw3", [0x31, 0x32, 0x33, 0x40, 0x41, 0x47])
def test_a_refused_read_with_the_card_still_there_is_unreadable(reader, sim, sw3):
    reader.start()
    sim.fail_next_read(sw3)
    sim.place(DEMO_CARD)
    events = collect(reader, ends_with(K.READ_ERROR))
    assert kinds(events) == [K.CARD_PRESENT, K.READ_ERROR]
    assert events[-1].failure is ReadFailure.UNREADABLE
    time.sleep(0.1)
    assert reader.poll() == [] and sim.count(READ) == 1  # not retried while it lies there


def test_a_card_pulled_away_mid_read(reader, sim):
    reading = CardReading(reader, today=TODAY)
    reading.start()
    sim.fail_next_read(SamFault.PULLED)  # find 9F, select 90, read 41, then find 80
    sim.place(DEMO_CARD)
    update = read_card(reading)
    assert update.state is ReadingState.FAILED and update.code == "id.card.removed_during_read"
    sim.place(DEMO_CARD)
    assert read_card(reading).state is ReadingState.DONE


def test_a_card_pulled_away_mid_read_raw_events(reader, sim):
    reader.start()
    sim.fail_next_read(SamFault.PULLED)
    sim.place(DEMO_CARD)
    events = collect(reader, ends_with(K.REMOVED))
    assert kinds(events) == [K.CARD_PRESENT, K.READ_ERROR, K.REMOVED]
    assert events[1].failure is ReadFailure.REMOVED


def test_no_answer_to_a_read_is_a_timeout(reader, sim):
    reading = CardReading(reader, today=TODAY)
    reading.start()
    sim.fail_next_read(SamFault.SILENT)
    sim.place(DEMO_CARD)
    update = read_card(reading)
    assert update.code == "id.card.timeout"
    # the next command is answered at once: the warning clears
    wait_status(reader, Level.OK)
    lift(sim)
    sim.place(DEMO_CARD)
    assert read_card(reading).identity is not None


def test_a_timeout_warns_before_the_reader_answers_again(make_reader, sim):
    reader = make_reader(offline_after=5, poll_interval_s=0.3)
    reader.open(wait_s=1)
    reader.start()
    sim.fail_next_read(SamFault.SILENT)
    sim.place(DEMO_CARD)
    events = collect(reader, ends_with(K.READ_ERROR))
    assert events[-1].failure is ReadFailure.TIMEOUT
    status = reader.status()  # until the next poll in 0.3 s
    assert (status.level, status.reason) == (Level.WARNING, Reason.TIMEOUT) and status.usable


def test_a_reader_that_stops_answering_goes_offline_and_comes_back(reader, sim):
    reading = CardReading(reader, today=TODAY)
    reading.start()
    sim.mute()
    status = wait_status(reader, Level.OFFLINE)
    assert status.reason is Reason.TIMEOUT
    assert read_card(reading).code == "id.card.reader_offline"
    sim.mute(False)
    sim.place(DEMO_CARD)
    wait_status(reader, Level.OK)
    assert read_card(CardReading(reader, today=TODAY)).state is ReadingState.DONE


def test_a_reader_unplugged_goes_offline_and_recovers(reader, sim):
    reading = CardReading(reader, today=TODAY)
    reading.start()
    sim.unplug()
    status = wait_status(reader, Level.OFFLINE)
    assert status.reason is Reason.CONNECTION_LOST
    assert read_card(reading).code == "id.card.reader_offline"
    sim.place(DEMO_CARD)
    sim.plug()
    wait_status(reader, Level.OK)
    reading = CardReading(reader, today=TODAY)  # the screen starts over once usable again
    reading.start()
    assert read_card(reading).identity.id_number == NUMBER


def test_unplugged_during_a_read_and_back(make_reader, tmp_path):
    sim = SamSimulator(tmp_path / "ttyS", read_delay_s=0.3)
    reader = make_reader(sim.path, read_timeout_s=0.8)
    try:
        reader.start()
        sim.place(DEMO_CARD)
        collect(reader, ends_with(K.CARD_PRESENT))
        sim.unplug()
        events = collect(reader, ends_with(K.READ_ERROR))
        assert events[-1].failure is ReadFailure.OFFLINE
        assert reader.status().level is Level.OFFLINE
        sim.plug()
        # the read never finished: the card still lying there is read once the reader is back
        events = collect(reader, ends_with(K.READ))
        assert kinds(events) == [K.CARD_PRESENT, K.READ]
    finally:
        reader.close()
        sim.close()


def test_a_port_that_does_not_exist(make_reader, tmp_path):
    reader = make_reader(str(tmp_path / "ttyUSB9"))
    reader.open(wait_s=1)
    status = reader.status()
    assert (status.level, status.reason) == (Level.OFFLINE, Reason.OFFLINE)
    assert CardReading(reader, today=TODAY).start().code == "id.card.reader_offline"


def test_a_sam_that_failed_its_self_test(make_reader, sim):
    sim.sam_status = Sw3.SELF_TEST_FAILED
    reader = make_reader()
    reader.open(wait_s=1)
    status = reader.status()
    assert (status.level, status.reason) == (Level.ERROR, Reason.DEVICE_ERROR)
    assert "0x60" in status.detail
    assert CardReading(reader, today=TODAY).start().code == "id.card.reader_offline"
    sim.sam_status = Sw3.OK
    wait_status(reader, Level.OK)


def test_stop_abandons_a_read_without_events(make_reader, tmp_path):
    sim = SamSimulator(tmp_path / "ttyS", read_delay_s=0.15)
    reader = make_reader(sim.path)
    try:
        reader.start()
        sim.place(DEMO_CARD)
        collect(reader, ends_with(K.CARD_PRESENT))
        reader.stop()
        time.sleep(0.3)
        assert reader.poll() == []
        reader.start()  # the abandoned card is read again, as the simulator does
        assert kinds(collect(reader, ends_with(K.READ))) == [K.CARD_PRESENT, K.READ]
        reader.stop()
        sim.remove()
        time.sleep(0.1)
        assert reader.poll() == []
    finally:
        reader.close()
        sim.close()


def test_nothing_personal_in_any_log_line(reader, sim, caplog):
    caplog.set_level(logging.DEBUG)
    reader.start()
    for fault in (None, SamFault.BAD_CHECKSUM, SamFault.PULLED, 0x31):
        if fault is not None:
            sim.fail_next_read(fault)
        sim.place(DEMO_CARD)
        events = collect(reader, lambda got: K.READ in kinds(got) or K.READ_ERROR in kinds(got))
        if K.REMOVED not in kinds(events):  # a pulled card is gone already
            sim.remove()
            events += collect(reader, ends_with(K.REMOVED))
    sim.unplug()
    wait_status(reader, Level.OFFLINE)
    text = caplog.text + repr(events) + repr(reader) + repr(sim) + repr(DEMO_CARD)
    for secret in (NAME, NUMBER, NUMBER[6:14], "江苏省", "张"):
        assert secret not in text


def test_constructor_checks():
    with pytest.raises(ValueError):
        SamSerialReader("")
    with pytest.raises(ValueError):
        SamSerialReader("/dev/ttyUSB0", answer_timeout_s=2, read_timeout_s=1)
    with pytest.raises(ValueError):
        SamSerialReader("/dev/ttyUSB0", offline_after=0)


def test_close_is_safe_twice(reader):
    reader.close()
    reader.close()


# ============================================================================ config


def test_make_sam_reader_from_the_config():
    assert make_sam_reader(parse_config({}, "t")) is None
    assert make_sam_reader(parse_config({"devices": {"id_card_reader": "simulated"}}, "t")) is None
    config = parse_config({"devices": {"id_card_reader": "sam", "id_card_port": "/dev/ttyUSB0",
                                       "id_card_baud": 57600}}, "t")
    reader = make_sam_reader(config)
    assert (reader.url, reader.baudrate) == ("/dev/ttyUSB0", 57600)
    assert reader._thread is None  # nothing opened until the composition root says so


@pytest.mark.parametrize("devices, problem", [
    ({"id_card_reader": "sam"}, "needs id_card_port"),
    ({"id_card_reader": "sam", "id_card_port": "/dev/ttyUSB0", "id_card_baud": 4800},
     "must be one of"),
])
def test_sam_config_errors(devices, problem):
    with pytest.raises(ConfigError) as exc:
        parse_config({"devices": devices}, "t.toml")
    assert problem in exc.value.problems[0]


def test_the_composition_root_builds_the_configured_reader(sim, make_config, small_catalog_file):
    """`[devices] id_card_reader = "sam"` on a (pseudo) serial port: the terminal's services
    carry an opened SAM reader whose status is known at start, closed with the services."""
    from wiring import build_services

    config = make_config(small_catalog_file, devices={
        "id_card_reader": "sam", "id_card_port": sim.path, "id_card_baud": 115200})
    services = build_services(config, printing=False, sync=False)
    try:
        reader = services.id_reader
        assert isinstance(reader, SamSerialReader) and isinstance(reader, IdCardReader)
        wait_status(reader, Level.OK, timeout=3)
    finally:
        services.close()
    thread = reader._thread
    assert thread is None or not thread.is_alive()  # closed with the services
