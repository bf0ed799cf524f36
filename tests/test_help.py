"""呼叫帮办 and remote view with consent, Qt-free: the help desk over an adapter that implements
the backend's side of protocol.staff (`Hall`), and the HTTP adapter's help calls on the wire.
(The end-to-end test against the reference backend comes with its help endpoints.)"""

from __future__ import annotations

import dataclasses
import json
import threading
import uuid
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

import protocol as p
from kiosk.bus import Bus, ManualPost
from kiosk.help import HelpDesk, HelpPhase
from kiosk.sync.adapter import BackendAdapter, BackendRejected, BackendUnavailable, HttpAdapter
from protocol.staff import (
    MAX_FRAME_BYTES,
    HelpRequest,
    HelpState,
    HelpStatus,
    RemoteView,
    StaffPaths,
)

WINDOW = "政务服务中心一楼综合受理窗口"


class Hall:
    """The backend's side of protocol.staff, in memory, plus what staff do on the console
    (`take`, `ask_view`, `end_view`, `finish`). `down`: every call fails as the network would."""

    credential = "terminal-credential"

    def __init__(self):
        self.requests: dict[uuid.UUID, HelpStatus] = {}
        self.raised: list[HelpRequest] = []
        self.frames: list[tuple[uuid.UUID, bytes]] = []
        self.calls: list[str] = []
        self.down = False

    def _status(self, rid, **changes) -> HelpStatus:
        st = self.requests[uuid.UUID(str(rid))]
        st = st.model_copy(update={**changes, "updated_at": datetime.now(timezone.utc)})
        self.requests[st.request_id] = st
        return st

    def _call(self, name):
        self.calls.append(name)
        if self.down:
            raise BackendUnavailable(f"{name}: connection refused", "network")

    # -- the terminal's calls
    def help_request(self, request: HelpRequest) -> HelpStatus:
        self._call("help_request")
        self.raised.append(request)
        st = self.requests.get(request.request_id) or HelpStatus(
            request_id=request.request_id, terminal_id="T-HELP", state=HelpState.OPEN,
            updated_at=datetime.now(timezone.utc))
        self.requests[request.request_id] = st
        return st

    def help_status(self, rid) -> HelpStatus:
        self._call("help_status")
        return self._status(rid)

    def help_cancel(self, rid) -> HelpStatus:
        self._call("help_cancel")
        return self._status(rid, state=HelpState.CANCELLED, remote_view=RemoteView.ENDED
                            if self.requests[uuid.UUID(str(rid))].remote_view != RemoteView.NONE
                            else RemoteView.NONE)

    def help_consent(self, rid, allow: bool) -> HelpStatus:
        self._call("help_consent")
        st = self.requests[uuid.UUID(str(rid))]
        if st.remote_view not in (RemoteView.REQUESTED, RemoteView.ALLOWED):
            raise BackendRejected(409, "conflict", "no remote view asked")
        return self._status(rid, remote_view=RemoteView.ALLOWED if allow else RemoteView.ENDED)

    def help_frame(self, rid, jpeg: bytes) -> None:
        self._call("help_frame")
        if self.requests[uuid.UUID(str(rid))].remote_view is not RemoteView.ALLOWED:
            raise BackendRejected(409, "conflict", "remote view not allowed")
        self.frames.append((uuid.UUID(str(rid)), jpeg))

    # -- the rest of BackendAdapter: not what this test is about
    def _not_here(self, *_a, **_k):
        raise BackendUnavailable("not in this test", "network")

    enrol = health = catalog_changes = fetch = issue_document = exchange_credential = \
        access_log = verify = queue_ticket = ticket_status = push_events = heartbeat = \
        staff_roster = _not_here

    def close(self):
        pass

    # -- staff at the console
    def only(self) -> uuid.UUID:
        (rid,) = self.requests
        return rid

    def take(self, name="王芳"):
        self._status(self.only(), state=HelpState.TAKEN, staff_no="S001", staff_name=name)

    def ask_view(self):
        self._status(self.only(), remote_view=RemoteView.REQUESTED)

    def end_view(self):
        self._status(self.only(), remote_view=RemoteView.ENDED)

    def finish(self):
        self._status(self.only(), state=HelpState.FINISHED, outcome="helped",
                     remote_view=RemoteView.ENDED)


@pytest.fixture
def hall():
    return Hall()


@pytest.fixture
def desk(hall):
    d = HelpDesk(hall, Bus(), staffed_window=WINDOW, thread=False)
    yield d
    d.close()


def work(d: HelpDesk) -> None:
    """What the worker thread would do now: every job, then one poll."""
    while d.run_pending():
        pass


def allowed(d: HelpDesk, hall: Hall) -> None:
    """A request open, staff asked to see the screen, the citizen allowed it."""
    d.raise_request("flow")
    work(d)
    hall.ask_view()
    work(d)
    d.consent(True)
    work(d)
    assert d.view.sharing


def test_the_hall_is_a_backend_adapter(hall):
    assert isinstance(hall, BackendAdapter)


def test_raise_poll_to_taken_and_one_at_a_time(desk, hall):
    views = []
    desk.subscribe(views.append)
    assert desk.raise_request("flow", item_id="RS-000001", step="identify")
    assert desk.view.phase is HelpPhase.CALLING and hall.raised == []  # nothing on the UI thread
    assert not desk.raise_request("home")  # one open request at a time
    work(desk)
    (sent,) = hall.raised
    assert (sent.screen, sent.item_id, sent.step) == ("flow", "RS-000001", "identify")
    assert sent.request_id.version == 4 and sent.waiting_since.tzinfo is not None
    assert desk.view.phase is HelpPhase.WAITING
    hall.take("王芳")
    work(desk)
    assert desk.view.phase is HelpPhase.TAKEN and desk.view.staff_name == "王芳"
    assert [v.phase for v in views] == [HelpPhase.CALLING, HelpPhase.WAITING, HelpPhase.TAKEN]
    hall.finish()
    work(desk)
    assert desk.view.phase is HelpPhase.FINISHED and not desk.view.open
    desk.dismiss()
    assert desk.view.phase is HelpPhase.IDLE
    assert desk.raise_request("home")  # a new one may be raised now


def test_the_citizen_cancels(desk, hall):
    desk.raise_request("search")
    work(desk)
    desk.cancel()
    assert desk.view.phase is HelpPhase.IDLE and desk.request_id is None
    work(desk)
    assert hall.requests[hall.only()].state is HelpState.CANCELLED
    hall.calls.clear()
    work(desk)
    assert "help_status" not in hall.calls  # nothing polled any more


def test_a_cancel_that_cannot_reach_the_backend_is_retried(desk, hall):
    desk.raise_request("home")
    work(desk)
    hall.down = True
    desk.cancel()
    work(desk)
    assert hall.requests[hall.only()].state is HelpState.OPEN
    hall.down = False
    work(desk)
    assert hall.requests[hall.only()].state is HelpState.CANCELLED


@pytest.mark.parametrize("how", ["offline", "rejected", "no_backend"])
def test_unreachable_sends_the_citizen_to_the_window(hall, how):
    if how == "offline":
        hall.down = True
        adapter = hall
    elif how == "rejected":
        adapter = dataclasses.make_dataclass("Refusing", [])()
        adapter.help_request = lambda r: (_ for _ in ()).throw(
            BackendRejected(404, "not_found", "no such path"))
    else:
        adapter = None
    d = HelpDesk(adapter, Bus(), staffed_window=WINDOW, thread=False)
    d.raise_request("guide", item_id="RS-000002")
    work(d)
    assert d.view.phase is HelpPhase.UNREACHABLE and d.view.window == WINDOW
    assert d.request_id is None and not d.view.open
    d.end_session()  # the message goes with the citizen
    assert d.view.phase is HelpPhase.IDLE


def test_polls_that_keep_failing_while_waiting_send_the_citizen_to_the_window(desk, hall):
    desk.raise_request("home")
    work(desk)
    hall.down = True
    work(desk)
    work(desk)
    assert desk.view.phase is HelpPhase.WAITING
    work(desk)
    assert desk.view.phase is HelpPhase.UNREACHABLE


def test_staff_coming_stay_shown_through_a_short_outage(desk, hall):
    desk.raise_request("home")
    work(desk)
    hall.take()
    work(desk)
    hall.down = True
    for _ in range(5):
        work(desk)
    assert desk.view.phase is HelpPhase.TAKEN  # they are on their way: keep saying so


def test_session_end_cancels_and_a_late_answer_is_ignored(desk, hall):
    desk.raise_request("flow")
    work(desk)
    hall.take()
    desk.end_session()
    work(desk)
    assert desk.view.phase is HelpPhase.IDLE
    assert hall.requests[hall.only()].state is HelpState.CANCELLED


def test_the_core_cancels_the_request_when_the_session_ends(hall, make_config, small_catalog_file):
    from kiosk.app import KioskCore
    from wiring import build_services

    services = build_services(make_config(small_catalog_file))
    desk = HelpDesk(hall, services.bus, staffed_window=WINDOW, thread=False)
    core = KioskCore(dataclasses.replace(services, help=desk))
    core.start()
    try:
        core.begin_session()
        core.open_guide("RS-000002")
        assert core.call_help()
        work(desk)
        assert (hall.raised[0].screen, hall.raised[0].item_id) == ("guide", "RS-000002")
        core.end_session(timed_out=True)  # the citizen walked away
        work(desk)
        assert hall.requests[hall.only()].state is HelpState.CANCELLED
    finally:
        core.close()
        services.close()


def test_consent_before_any_frame_and_either_side_ends_it(desk, hall):
    desk.raise_request("flow")
    work(desk)
    hall.take()
    hall.ask_view()
    work(desk)
    assert desk.view.ask_consent and not desk.view.sharing
    assert not desk.send_frame(b"\xff\xd8 frame before consent")
    work(desk)
    assert hall.frames == [] and "help_frame" not in hall.calls
    desk.consent(True)
    assert not desk.view.ask_consent
    work(desk)
    assert desk.view.sharing and hall.requests[hall.only()].remote_view is RemoteView.ALLOWED
    assert desk.send_frame(b"one") and desk.send_frame(b"two")  # the newest only
    work(desk)
    assert [f for _r, f in hall.frames] == [b"two"]
    # the citizen ends it (屏幕共享中 · 结束): a frame handed over just before never leaves
    desk.send_frame(b"three")
    desk.consent(False)
    assert not desk.view.sharing
    work(desk)
    assert [f for _r, f in hall.frames] == [b"two"]
    assert hall.requests[hall.only()].remote_view is RemoteView.ENDED
    assert not desk.view.ask_consent  # ended: not asked again until staff ask again
    # staff ask again; this time staff end it
    hall.ask_view()
    work(desk)
    assert desk.view.ask_consent
    desk.consent(True)
    work(desk)
    assert desk.view.sharing
    hall.end_view()
    desk.send_frame(b"four")
    work(desk)
    assert not desk.view.sharing and [f for _r, f in hall.frames] == [b"two"]


def test_a_refusal_sends_nothing(desk, hall):
    desk.raise_request("flow")
    work(desk)
    hall.ask_view()
    work(desk)
    desk.consent(False)
    work(desk)
    assert hall.requests[hall.only()].remote_view is RemoteView.ENDED
    assert not desk.send_frame(b"x") and hall.frames == []
    work(desk)
    assert not desk.view.ask_consent  # the same ask is not asked twice


def test_walking_away_while_sharing_stops_the_frames(desk, hall):
    allowed(desk, hall)
    desk.send_frame(b"last")
    desk.end_session()
    work(desk)
    assert hall.frames == [] and not desk.view.sharing
    assert hall.requests[hall.only()].state is HelpState.CANCELLED


def test_a_frame_too_big_is_refused(desk, hall):
    allowed(desk, hall)
    assert not desk.send_frame(b"x" * (MAX_FRAME_BYTES + 1))


def test_the_worker_thread_reaches_the_ui_thread_only_through_the_bus(hall):
    post = ManualPost()
    seen_on = []
    d = HelpDesk(hall, Bus(post), staffed_window=WINDOW, poll_s=0.05)
    d.subscribe(lambda v: seen_on.append(threading.current_thread()))
    try:
        d.raise_request("home")
        deadline = 0
        while d.view.phase is not HelpPhase.WAITING and deadline < 100:
            post.drain(timeout=0.05)
            deadline += 1
        assert d.view.phase is HelpPhase.WAITING
        hall.take("李明")
        while d.view.phase is not HelpPhase.TAKEN and deadline < 200:
            post.drain(timeout=0.05)
            deadline += 1
        assert d.view.staff_name == "李明"
        assert set(seen_on) == {threading.main_thread()}
    finally:
        d.close()
    assert hall.requests[hall.only()].state is HelpState.CANCELLED  # closed: cancelled


# -- the HTTP adapter's help calls on the wire --------------------------------------------------


class _Handler(BaseHTTPRequestHandler):
    hall: Hall
    seen: list

    def log_message(self, *_a):
        pass

    def _answer(self, status: int, body: bytes = b"", ctype="application/json"):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _handle(self, method):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        self.seen.append((method, self.path, self.headers.get("Content-Type"),
                          self.headers.get("Authorization"), body))
        parts = self.path.strip("/").split("/")  # v1 help {id} [action]
        if self.path == StaffPaths.HELP and method == "POST":
            st = self.hall.help_request(HelpRequest.model_validate_json(body))
        elif len(parts) == 3 and method == "GET":
            if parts[2] == "00000000-0000-4000-8000-000000000500":
                return self._answer(503, json.dumps({"error": "unavailable",
                                                     "message": "down"}).encode())
            st = self.hall.help_status(parts[2])
        elif len(parts) == 4 and parts[3] == "cancel":
            st = self.hall.help_cancel(parts[2])
        elif len(parts) == 4 and parts[3] == "consent":
            st = self.hall.help_consent(parts[2], json.loads(body)["allow"])
        elif len(parts) == 4 and parts[3] == "frame" and method == "PUT":
            self.hall.help_frame(parts[2], body)
            return self._answer(204)
        else:
            return self._answer(404, json.dumps({"error": "not_found", "message": "?"}).encode())
        self._answer(200, st.model_dump_json().encode())

    def do_GET(self):
        self._handle("GET")

    def do_POST(self):
        self._handle("POST")

    def do_PUT(self):
        self._handle("PUT")


@pytest.fixture
def wire(hall):
    seen: list = []
    handler = type("H", (_Handler,), {"hall": hall, "seen": seen})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    t = threading.Thread(target=server.serve_forever, daemon=True)
    t.start()
    adapter = HttpAdapter(f"http://127.0.0.1:{server.server_port}", "cred-1", timeout=5)
    yield adapter, seen
    adapter.close()
    server.shutdown()
    server.server_close()


def test_the_http_adapter_speaks_protocol_staff(wire, hall):
    adapter, seen = wire
    rid = uuid.uuid4()
    req = HelpRequest(request_id=rid, screen="flow", item_id="RS-000001", step="consent",
                      waiting_since=datetime.now(timezone.utc))
    st = adapter.help_request(req)
    assert st.state is HelpState.OPEN and st.request_id == rid
    method, path, ctype, auth, body = seen[-1]
    assert (method, path, ctype, auth) == ("POST", "/v1/help", "application/json",
                                           "Bearer cred-1")
    assert json.loads(body)["request_id"] == str(rid)
    assert adapter.help_status(rid).state is HelpState.OPEN
    assert seen[-1][:2] == ("GET", f"/v1/help/{rid}")
    hall.ask_view()
    assert adapter.help_consent(str(rid), True).remote_view is RemoteView.ALLOWED
    assert json.loads(seen[-1][4]) == {"allow": True}
    adapter.help_frame(rid, b"\xff\xd8\xff jpeg")
    assert seen[-1][:3] == ("PUT", f"/v1/help/{rid}/frame", "image/jpeg")
    assert hall.frames == [(rid, b"\xff\xd8\xff jpeg")]
    with pytest.raises(BackendRejected):
        adapter.help_frame(rid, b"x" * (MAX_FRAME_BYTES + 1))  # never sent
    assert adapter.help_cancel(rid).state is HelpState.CANCELLED
    with pytest.raises(BackendUnavailable):
        adapter.help_status("00000000-0000-4000-8000-000000000500")
    with pytest.raises(ValueError):
        adapter.help_status("../admin")  # a request id is a UUID, never a path


def test_the_live_adapter_passes_the_help_calls_through():
    from kiosk.sync.service import LiveAdapter

    class Service:
        adapter = None

    live = LiveAdapter(Service())
    with pytest.raises(BackendUnavailable):
        live.help_request(None)
    Service.adapter = Hall()
    assert live.help_frame.__name__ == "help_frame"


def test_http_errors_are_the_three_kinds(hall):
    a = HttpAdapter("http://127.0.0.1:9", "c", timeout=1, connect_timeout=1)
    with pytest.raises(BackendUnavailable):
        a.help_status(uuid.uuid4())
    a.close()
    assert p.ErrorCode.INVALID_REQUEST == "invalid_request"


def test_a_call_cancelled_before_it_was_sent_never_reaches_staff(desk, hall):
    desk.raise_request("home")
    desk.cancel()
    work(desk)
    assert hall.raised == [] and "help_cancel" not in hall.calls
