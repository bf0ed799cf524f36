"""The flow engine: an item is data (a `Flow`: steps plus a small `Handler`), and one state
machine (`FlowRun`) runs next, back, cancel, timeout and error for every item the same way.

No Qt. A screen never calls a port: it reads `run.step`, `run.status`, `run.view()`,
`run.error` and `run.allowed`, and sends intents (`identify`, `next`, `choose`, `skip`,
`rate`, `back`, `retry`, `cancel`, `timeout`, `report_problem`). Work that may block (a backend
call, handing a job to the spooler) is never done inside an intent: the run enters ``busy`` and
offers a `Work` (``run.pending()``) that a worker thread calls; its `WorkResult` comes back to
the UI thread through ``run.complete(result)`` (Anki's operations: the background part touches
no UI and no run state). A result arriving after cancel, back or timeout is dropped unread.

Steps (`StepKind`):

==========  ===========  ===================================================================
kind        input        what happens
==========  ===========  ===================================================================
identify    identify()   an `Identity` from the card reader, a QR code or the number pad
consent     next()       the citizen agrees to what `Flow.consent` lists; back() declines
choose      choose(f=v)  a choice (the queue's business type); next() once chosen
query       (automatic)  a call through a port; busy until `complete()`
show        choose(...)  records with filters and paging (`choose(year=2025, page=2)`)
preview     next()/skip  what will be printed; skip() only where printing is optional
print       (automatic)  issue the document, hand it to a printer; ``printing`` until the
                         screen forwards the job's end with `print_update()`
rate        rate()/skip  好差评, through the outbox
done        next()       the end: the run finishes with outcome ``done``
==========  ===========  ===================================================================

Rules the engine keeps for every flow: a personal query or document cannot run before the
citizen identified and consented (checked when the `Flow` is declared and again at run time);
a flow with personal steps has assurance ``verified`` and its identify step takes only a
verified `Identity` (card + face, e-credential, or a staff member attending: `attended_by`),
never a number typed or read off a QR code (`InputRejected("id.not_verified")`,
docs/decisions/0018);
`back()` returns to the previous interactive step and forgets what the later steps produced
(back to identify or consent forgets the identity or the consent too); nothing personal
survives the end of a run (done, cancel, timeout): the identity is cleared, records, documents
and results dropped, listeners released, and a `transaction` event without personal data goes
to the outbox. A failure is a `FlowError` with a stable code; what the citizen already did
(identified, consented, records fetched, document issued) stays, so `retry()` picks up there.
"""

from __future__ import annotations

import logging
import time
import traceback
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from enum import StrEnum
from typing import Any, ClassVar

from kiosk.catalog.model import GuideDetail
from kiosk.flows import rating as ratings
from kiosk.flows.ports import (
    FlowPorts,
    PrintableDocument,
    PrintRefused,
    ProvenRecords,
    Rejected,
    Unreachable,
)
from kiosk.flows.problem_report import Place, ProblemTicket, UnknownCategory
from kiosk.identity import Identity, IdMethod, Verification
from protocol import DOCUMENT_TITLES, DocumentKind, ErrorCode, VerifyMethod

log = logging.getLogger("kiosk.flows")

EVENT_FORMAT = 1


# ============================================================================ vocabulary


class StepKind(StrEnum):
    IDENTIFY = "identify"
    CONSENT = "consent"
    CHOOSE = "choose"
    QUERY = "query"
    SHOW = "show"
    PREVIEW = "preview"
    PRINT = "print"
    RATE = "rate"
    DONE = "done"


INTERACTIVE = frozenset({StepKind.IDENTIFY, StepKind.CONSENT, StepKind.CHOOSE, StepKind.SHOW,
                         StepKind.PREVIEW, StepKind.RATE, StepKind.DONE})
# back() lands only on these; rate and done come after the paper is out: no way back
BACK_TARGETS = frozenset({StepKind.IDENTIFY, StepKind.CONSENT, StepKind.CHOOSE, StepKind.SHOW,
                          StepKind.PREVIEW})


class Assurance(StrEnum):
    """How sure the terminal must be of who the citizen is (docs/decisions/0018)."""

    NONE = "none"  # any identity (a number typed serves): the item shows nothing personal
    VERIFIED = "verified"  # card + face, e-credential, or attended; required for personal data


class Paper(StrEnum):
    A4 = "a4"
    RECEIPT = "receipt"


class Status(StrEnum):
    NEW = "new"  # not started
    READY = "ready"  # waiting for the citizen
    BUSY = "busy"  # a `Work` is pending or running
    PRINTING = "printing"  # a job is with the spooler; waiting for print_update()
    FAILED = "failed"  # `error` says why; retry/back/skip/cancel as `allowed` says
    FINISHED = "finished"  # `outcome` says how; nothing of the citizen remains


class Outcome(StrEnum):
    DONE = "done"
    CANCELLED = "cancelled"
    TIMED_OUT = "timed_out"


class Intent(StrEnum):
    IDENTIFY = "identify"
    NEXT = "next"
    CHOOSE = "choose"
    SKIP = "skip"
    RATE = "rate"
    BACK = "back"
    RETRY = "retry"
    CANCEL = "cancel"
    TIMEOUT = "timeout"
    REPORT_PROBLEM = "report_problem"


# Every code a FlowError can carry (screens translate them; the list is tested).
ERROR_CODES = frozenset({
    "backend.unreachable",  # reason: network, timeout, server, protocol, not_enrolled,
                            # not_configured
    "backend.rejected",  # reason: the protocol's error code
    "records.citizen_not_found", "records.no_account", "records.not_applicable",
    "identity.refused",  # the backend did not accept the proof: identify again (reason: code)
    "backend.lookup_limit",  # this terminal looked up too many citizens this hour
    "print.unavailable",  # reason: a device Reason (paper_out, offline, not_configured ...)
    "print.failed",  # reason: the job's reason
    "guide.not_found",
    "flow.internal_error",  # a bug; logged for the technician
})
# Codes of InputRejected (the intent was refused; the state did not change).
INPUT_CODES = frozenset({
    "id.method_not_allowed", "id.not_verified", "choice.invalid", "problem.unknown_category",
}) | ratings.RATING_CODES


# ============================================================================ steps


@dataclass(frozen=True)
class Step:
    kind: ClassVar[StepKind]


@dataclass(frozen=True)
class Identify(Step):
    kind: ClassVar[StepKind] = StepKind.IDENTIFY
    methods: tuple[IdMethod, ...] = (IdMethod.ID_CARD, IdMethod.QR, IdMethod.MANUAL)


@dataclass(frozen=True)
class Consent(Step):
    """What is fetched and printed is not written here: it is read off the flow's own query
    and print steps (`Flow.consent`), so the consent cannot drift from what the flow does."""

    kind: ClassVar[StepKind] = StepKind.CONSENT


@dataclass(frozen=True)
class Choose(Step):
    kind: ClassVar[StepKind] = StepKind.CHOOSE
    field: str = "choice"


@dataclass(frozen=True)
class Query(Step):
    """`call` is what is fetched: a `RecordsPort` method for a backend query (the default
    handler calls it with the ID number), or a handler's own source (``guide``)."""

    kind: ClassVar[StepKind] = StepKind.QUERY
    call: str = ""
    personal: bool = True  # needs the identity, hence consent
    backend: bool = True  # goes through the RecordsPort (unreachable when offline)


@dataclass(frozen=True)
class Show(Step):
    kind: ClassVar[StepKind] = StepKind.SHOW
    view: str = ""


@dataclass(frozen=True)
class Preview(Step):
    kind: ClassVar[StepKind] = StepKind.PREVIEW
    optional: bool = False  # skip() passes the print step that follows


@dataclass(frozen=True)
class Print(Step):
    """`documents` lists what this step may print (the handler picks one per run): protocol
    `DocumentKind` values for A4 (issued by the backend, then printed), or a receipt name."""

    kind: ClassVar[StepKind] = StepKind.PRINT
    documents: tuple[str, ...] = ()
    to: Paper = Paper.A4
    personal: bool = True  # issued for the identified citizen: needs consent
    skippable_on_failure: bool = False  # the result is on screen anyway (a queue number)
    label: str = ""  # what consent and screens call the paper, when not its document kind


@dataclass(frozen=True)
class Rate(Step):
    kind: ClassVar[StepKind] = StepKind.RATE


@dataclass(frozen=True)
class Done(Step):
    kind: ClassVar[StepKind] = StepKind.DONE


# ============================================================================ data around steps


class FlowDefinitionError(ValueError):
    """A flow declared against the rules (e.g. a personal query before consent)."""


class FlowStateError(RuntimeError):
    """An intent the run's state does not allow: a screen bug, never the citizen's fault."""


class ConsentMissing(FlowStateError):
    """A personal query or document was about to run without identity and consent."""


class InputRejected(ValueError):
    """The citizen's input was refused; the state is unchanged. `code` is for the screen."""

    def __init__(self, code: str):
        self.code = str(code)
        super().__init__(self.code)


class StepFailed(Exception):
    """Raised by a handler for a failure with its own code (e.g. ``guide.not_found``)."""

    def __init__(self, code: str, reason: str = "", retryable: bool = False):
        self.code = code
        self.reason = reason
        self.retryable = retryable
        super().__init__(code)


@dataclass(frozen=True)
class Fallback:
    """Where the citizen can still get it done: the online service (a QR code) and the
    staffed window. From the item's guide in the catalog (`from_guide`)."""

    online_url: str = ""
    place: str = ""
    window: str = ""

    @classmethod
    def from_guide(cls, guide: GuideDetail) -> Fallback:
        return cls(guide.online_url or guide.item.url, guide.place, guide.window)


@dataclass(frozen=True)
class FlowError:
    code: str  # one of ERROR_CODES
    step: StepKind
    reason: str = ""
    retryable: bool = False
    fallback: Fallback | None = None


@dataclass(frozen=True)
class Option:
    code: str
    label: str = ""  # data from config or the backend (a business name), not a UI message


@dataclass(frozen=True)
class DocumentOrder:
    """What a print step prints this time: a kind from `Print.documents`, the months for a
    statement, and the selection the renderer needs (year, insurance type, month)."""

    kind: str
    from_month: str | None = None
    to_month: str | None = None
    selection: Mapping[str, Any] = field(default_factory=dict)
    title: str = ""  # the printed title when it is not the kind's DOCUMENT_TITLES entry


@dataclass(frozen=True)
class ConsentItems:
    fetches: tuple[str, ...]  # "fetch.social_insurance", ...
    prints: tuple[str, ...]  # "document.ss_certificate", ...
    print_optional: bool  # the citizen decides later whether to print


# views the engine builds (show and preview contents come from the handler)
@dataclass(frozen=True)
class IdentifyView:
    """`methods` are those to offer now: a verified item offers no number pad unless a staff
    member attends (`attended`). `verified`: only a verified identity is taken (so a card read
    goes on to the face check, a QR code must be an e-credential)."""

    methods: tuple[IdMethod, ...]
    verified: bool = False
    attended: bool = False


@dataclass(frozen=True)
class ConsentView:
    items: ConsentItems
    department: str


@dataclass(frozen=True)
class ChoiceView:
    field: str
    options: tuple[Option, ...]
    selected: Any


@dataclass(frozen=True)
class PreviewView:
    documents: tuple[str, ...]
    document: str | None  # what will print now (a kind, or the step's label); None: nothing
    paper: Paper
    optional: bool
    content: Any  # the handler's view


@dataclass(frozen=True)
class PrintView:
    document: str
    paper: Paper
    job_state: str  # "", queued, printing


@dataclass(frozen=True)
class RateView:
    levels: tuple[ratings.Satisfaction, ...]
    low_levels: frozenset[ratings.Satisfaction]
    reasons: tuple[ratings.RatingReason, ...]
    max_comment: int


@dataclass(frozen=True)
class DoneView:
    flow: str
    printed: bool
    summary: Any  # the handler's (non-personal) summary, e.g. the queue ticket


# ============================================================================ handler and flow


class Handler:
    """The small per-item part. Defaults fit a plain records query; items override."""

    def query(self, step: Query, ports: FlowPorts, params: Mapping[str, Any],
              id_number: str | None) -> Any:
        """Runs on a worker thread: only `ports`, `params` and `id_number`, no run state."""
        if not step.personal or ports.records is None:
            raise NotImplementedError(f"no query for {step.call!r}")
        return ports.records.fetch(step.call, id_number)

    def options(self, step: Choose, ctx: FlowContext) -> tuple[Option, ...]:
        return ()

    def defaults(self, step: Show, ctx: FlowContext) -> dict[str, Any]:
        return {}

    def apply(self, step: Step, ctx: FlowContext, values: Mapping[str, Any]) -> dict[str, Any]:
        """Validate a choice; return the parameters to store. InputRejected("choice.invalid")."""
        if isinstance(step, Choose) and set(values) == {step.field}:
            codes = {o.code for o in self.options(step, ctx)}
            if values[step.field] in codes:
                return dict(values)
        raise InputRejected("choice.invalid")

    def view(self, step: Step, ctx: FlowContext) -> Any:
        return None

    def document(self, step: Print, ctx: FlowContext) -> DocumentOrder | None:
        return DocumentOrder(step.documents[0]) if step.documents else None

    def print_receipt(self, step: Print, ports: FlowPorts, records: Any,
                      order: DocumentOrder) -> str:
        """Runs on a worker thread: hand a receipt to `ports.receipts`, return the job id."""
        raise NotImplementedError(f"no receipt for {order.kind!r}")

    def summary(self, ctx: FlowContext) -> Any:
        return None


@dataclass(frozen=True, eq=False)
class Flow:
    id: str
    steps: tuple[Step, ...]
    handler: Handler = field(default_factory=Handler)
    title: str = ""  # the item's Chinese name, for logs and docs (screens translate the id)
    department: str = ""  # rs, yb, gjj, bdc, hall
    # the item registry sets it from the item's entry; a flow with personal steps must be
    # verified (refused otherwise)
    assurance: Assurance = Assurance.VERIFIED

    def __post_init__(self) -> None:
        object.__setattr__(self, "steps", tuple(self.steps))
        object.__setattr__(self, "assurance", Assurance(self.assurance))
        problems = _definition_problems(self.steps)
        if self.assurance is not Assurance.VERIFIED and any(
                isinstance(s, (Query, Print)) and s.personal for s in self.steps):
            problems.append("personal steps need assurance 'verified'")
        if problems:
            raise FlowDefinitionError(f"flow {self.id}: " + "; ".join(problems))

    def index_of(self, kind: StepKind) -> int | None:
        return next((i for i, s in enumerate(self.steps) if s.kind is kind), None)

    @property
    def personal(self) -> bool:
        return self.index_of(StepKind.IDENTIFY) is not None

    @property
    def verified(self) -> bool:
        """Its identify step takes only a verified identity."""
        return self.personal and self.assurance is Assurance.VERIFIED

    @property
    def consent(self) -> ConsentItems:
        fetches = tuple(f"fetch.{s.call}" for s in self.steps
                        if isinstance(s, Query) and s.personal)
        prints: list[str] = []
        optional = False
        for i, s in enumerate(self.steps):
            if isinstance(s, Print) and s.personal:
                prints += [f"document.{d}" for d in ((s.label,) if s.label else s.documents)]
                optional = optional or _print_is_optional(self.steps, i)
        return ConsentItems(fetches, tuple(prints), optional)


def _print_is_optional(steps: tuple[Step, ...], i: int) -> bool:
    prev = steps[i - 1] if i else None
    return isinstance(prev, Preview) and prev.optional


def _definition_problems(steps: tuple[Step, ...]) -> list[str]:
    out = []
    kinds = [s.kind for s in steps]
    if len(steps) < 2 or kinds[-1] is not StepKind.DONE or kinds[-2] is not StepKind.RATE:
        out.append("must end with rate, done (好差评 after every item)")
    for once in (StepKind.IDENTIFY, StepKind.CONSENT, StepKind.RATE, StepKind.DONE):
        if kinds.count(once) > 1:
            out.append(f"more than one {once} step")
    ident = kinds.index(StepKind.IDENTIFY) if StepKind.IDENTIFY in kinds else None
    consent = kinds.index(StepKind.CONSENT) if StepKind.CONSENT in kinds else None
    if consent is not None and (ident is None or ident > consent):
        out.append("consent needs an identify step before it")
    for i, s in enumerate(steps):
        personal = isinstance(s, (Query, Print)) and s.personal
        if personal and (consent is None or consent > i):
            out.append(f"step {i} ({s.kind}) is personal but comes before consent")
        if isinstance(s, Identify) and not s.methods:
            out.append("identify without methods")
        if isinstance(s, Print) and not s.documents:
            out.append(f"step {i} (print) names no document")
        if isinstance(s, Preview) and s.optional and not (
                i + 1 < len(steps) and isinstance(steps[i + 1], Print)):
            out.append(f"step {i}: an optional preview must be followed by its print step")
        if isinstance(s, Query) and not s.call:
            out.append(f"step {i}: query without call")
    if ident is not None and consent is None:
        out.append("an identified flow needs a consent step")
    return out


# ============================================================================ run state


class FlowContext:
    """What one run has gathered. Each value remembers the step that produced it, so `back()`
    forgets exactly what the later steps made; `wipe()` forgets everything."""

    _DEFAULTS: ClassVar[dict[str, Any]] = {
        "identity": None, "consented": False, "records": None, "order": None,
        "issued": None, "job_id": "", "job_state": "", "printed": False,
    }

    def __init__(self) -> None:
        self._owner: dict[str, int] = {}
        self.params: dict[str, Any] = {}
        for name, value in self._DEFAULTS.items():
            setattr(self, name, value)

    def put(self, name: str, value: Any, step: int) -> None:
        if name not in self._DEFAULTS:
            raise AttributeError(name)
        if name == "identity" and self.identity is not None and self.identity is not value:
            self.identity.clear()
        setattr(self, name, value)
        self._owner[name] = step

    def put_params(self, values: Mapping[str, Any], step: int) -> None:
        for k, v in values.items():
            self.params[k] = v
            self._owner[f"params.{k}"] = step

    def drop_from(self, step: int) -> None:
        """Forget every value produced at `step` or later."""
        for name, owner in list(self._owner.items()):
            if owner >= step:
                self._reset(name)

    def _reset(self, name: str) -> None:
        self._owner.pop(name, None)
        if name.startswith("params."):
            self.params.pop(name[len("params."):], None)
            return
        if name == "identity" and self.identity is not None:
            self.identity.clear()
        setattr(self, name, self._DEFAULTS[name])

    def wipe(self) -> None:
        for name in list(self._DEFAULTS):
            self._reset(name)
        self.params.clear()
        self._owner.clear()

    def __repr__(self) -> str:
        held = [n for n in ("identity", "records", "issued") if getattr(self, n) is not None]
        return (f"FlowContext(consented={self.consented}, params={sorted(self.params)}, "
                f"held={held})")


@dataclass(eq=False)
class WorkResult:
    """What a `Work` produced; `complete()` consumes it (and empties it)."""

    token: int
    updates: dict[str, Any]
    error: BaseException | None = None

    def __repr__(self) -> str:
        err = type(self.error).__name__ if self.error else None
        return f"WorkResult(token={self.token}, updates={sorted(self.updates)}, error={err})"


@dataclass(eq=False)
class Work:
    """A blocking piece of a step, safe to call on any thread: it touches no run state."""

    token: int
    step: StepKind
    fn: Callable[[dict[str, Any]], None] = field(repr=False)
    # undo what the work did outside the run when its result comes too late (a print job)
    on_drop: Callable[[dict[str, Any]], None] | None = field(default=None, repr=False)

    def __call__(self) -> WorkResult:
        out: dict[str, Any] = {}
        try:
            self.fn(out)
        except Exception as exc:  # every failure goes back to the run as data
            return WorkResult(self.token, out, exc)
        return WorkResult(self.token, out)


@dataclass(frozen=True)
class Change:
    old_index: int
    old_status: Status
    index: int
    status: Status


# ============================================================================ the run


class FlowRun:
    """One citizen going through one flow."""

    def __init__(self, flow: Flow, ports: FlowPorts, *, params: Mapping[str, Any] | None = None,
                 fallback: Fallback | None = None, catalog_item_id: str = "",
                 on_activity: Callable[[], None] | None = None,
                 clock: Callable[[], float] = time.monotonic, session_id: str = "",
                 attended_by: Callable[[], str | None] | None = None,
                 wall: Callable[[], datetime] | None = None):
        """`session_id`: the citizen session's (uuid4 hex; the run's own id without one), for
        the proofs; `attended_by()`: the staff member attending the citizen now, or None (the
        hall-staff mode's hook); `wall()`: an aware datetime, for `Verification.verified_at`."""
        self.flow = flow
        self.ports = ports
        self.fallback = fallback
        self.catalog_item_id = catalog_item_id
        self.run_id = uuid.uuid4().hex
        self.session_id = session_id or self.run_id
        self._attended_by = attended_by
        self._wall = wall or (lambda: datetime.now(timezone.utc))
        self._on_activity = on_activity
        self._clock = clock
        self._started_at = clock()
        self._initial = dict(params or {})
        self.ctx = FlowContext()
        self.index = 0
        self.status = Status.NEW
        self.error: FlowError | None = None
        self.outcome: Outcome | None = None
        self.problem_ticket: ProblemTicket | None = None
        self.rated = False
        self._method = ""  # how the citizen identified (kept for the transaction event)
        self._verify_method = ""  # how the citizen was verified (the same)
        self._token = 0
        self._pending: Work | None = None
        self._dropped: dict[int, Callable[[dict[str, Any]], None]] = {}
        self._retry: Callable[[], None] | None = None
        self._listeners: list[Callable[[Change], None]] = []
        # job updates that arrived before the work that queued the job came back (the printer
        # can finish a job before the worker thread's result reaches the UI thread)
        self._early_updates: dict[str, Any] = {}

    def __repr__(self) -> str:
        ident = self.ctx.identity
        who = f"<{ident.method.value}>" if ident is not None and not ident.cleared else None
        err = self.error.code if self.error else None
        return (f"FlowRun(flow={self.flow.id!r}, step={self.index}/{self.step.kind.value}, "
                f"status={self.status.value}, identity={who}, error={err}, "
                f"outcome={self.outcome.value if self.outcome else None})")

    # ---------------------------------------------------------------- reading
    @property
    def step(self) -> Step:
        return self.flow.steps[self.index]

    @property
    def finished(self) -> bool:
        return self.status is Status.FINISHED

    @property
    def masked_id(self) -> str:
        """3201**********1234 while identified (for the screens' header), else empty."""
        ident = self.ctx.identity
        return ident.masked if ident is not None else ""

    @property
    def summary(self) -> Any:
        """The handler's non-personal result so far (a queue ticket), on any screen, also on an
        error screen: what the citizen already got is never hidden by a failure after it."""
        return None if self.finished else self.flow.handler.summary(self.ctx)

    def subscribe(self, fn: Callable[[Change], None]) -> None:
        self._listeners.append(fn)

    @property
    def allowed(self) -> frozenset[Intent]:
        st, kind = self.status, self.step.kind
        if st in (Status.NEW, Status.FINISHED):
            return frozenset()
        out = {Intent.CANCEL, Intent.TIMEOUT}
        if self.ports.problems is not None:
            out.add(Intent.REPORT_PROBLEM)
        if st is Status.READY:
            out |= {
                StepKind.IDENTIFY: {Intent.IDENTIFY},
                StepKind.CONSENT: {Intent.NEXT},
                StepKind.CHOOSE: {Intent.CHOOSE},
                StepKind.SHOW: {Intent.CHOOSE, Intent.NEXT},
                StepKind.PREVIEW: {Intent.NEXT},  # nothing to print: the print step passes
                StepKind.RATE: {Intent.RATE, Intent.SKIP},
                StepKind.DONE: {Intent.NEXT},
            }.get(kind, set())
            if kind is StepKind.CHOOSE and self.step.field in self.ctx.params:
                out.add(Intent.NEXT)
            if kind is StepKind.PREVIEW and self.step.optional:
                out.add(Intent.SKIP)
            if kind in BACK_TARGETS:
                out.add(Intent.BACK)
        elif st is Status.BUSY:
            if kind is StepKind.QUERY:
                out.add(Intent.BACK)
        elif st is Status.FAILED:
            if self.error is not None and self.error.retryable and self._retry is not None:
                out.add(Intent.RETRY)
            if kind not in (StepKind.RATE, StepKind.DONE):
                out.add(Intent.BACK)
            if isinstance(self.step, Print) and self.step.skippable_on_failure:
                out.add(Intent.SKIP)
        return frozenset(out)

    def can(self, intent: Intent) -> bool:
        return intent in self.allowed

    def view(self) -> Any:
        """What the current step's screen shows (None when finished)."""
        if self.status in (Status.NEW, Status.FINISHED):
            return None
        s, ctx, h = self.step, self.ctx, self.flow.handler
        if isinstance(s, Identify):
            attended = self.attending is not None
            methods = s.methods
            if self.flow.verified and not attended:
                methods = tuple(m for m in methods if m is not IdMethod.MANUAL)
            return IdentifyView(methods, self.flow.verified, attended)
        if isinstance(s, Consent):
            return ConsentView(self.flow.consent, self.flow.department)
        if isinstance(s, Choose):
            return ChoiceView(s.field, h.options(s, ctx), ctx.params.get(s.field))
        if isinstance(s, Preview):
            nxt = self.flow.steps[self.index + 1] if self.index + 1 < len(self.flow.steps) \
                else None
            order = self._order_for_next_print()
            if isinstance(nxt, Print):
                return PreviewView(nxt.documents, (nxt.label or order.kind) if order else None,
                                   nxt.to, s.optional, h.view(s, ctx))
            return PreviewView((), None, Paper.A4, s.optional, h.view(s, ctx))
        if isinstance(s, Print):
            order = ctx.order
            return PrintView((s.label or order.kind) if order else "", s.to, ctx.job_state)
        if isinstance(s, Rate):
            return RateView(ratings.LEVELS, ratings.LOW_LEVELS, tuple(ratings.RatingReason),
                            ratings.MAX_COMMENT_CHARS)
        if isinstance(s, Done):
            return DoneView(self.flow.id, ctx.printed, h.summary(ctx))
        return h.view(s, ctx)

    # ---------------------------------------------------------------- intents
    def start(self) -> None:
        if self.status is not Status.NEW:
            raise FlowStateError("already started")
        self.ctx.put_params(self._initial, -1)
        log.info("flow %s [%s] starts", self.flow.id, self.run_id[:8])
        self._start()

    @property
    def attending(self) -> str | None:
        """The staff member attending the citizen now (attended mode), or None."""
        staff = self._attended_by() if self._attended_by is not None else None
        return str(staff) if staff else None

    def identify(self, identity: Identity) -> None:
        """A verified item takes only a verified identity: a card with a face match, an
        e-credential, or any identity while a staff member attends (it is then verified
        ``attended`` with their id). Refused: `InputRejected` ``id.method_not_allowed`` or
        ``id.not_verified``; the state is unchanged."""
        self._intent(Intent.IDENTIFY)
        if identity.cleared:
            raise FlowStateError("a cleared identity")
        if identity.method not in self.step.methods:
            raise InputRejected("id.method_not_allowed")
        if self.flow.verified and not identity.verified:
            staff = self.attending
            if staff is None:
                raise InputRejected("id.not_verified")
            identity.verify(Verification(VerifyMethod.ATTENDED, self._wall(), staff_id=staff))
        self.ctx.put("identity", identity, self.index)
        self._method = identity.method.value
        verification = identity.verification
        self._verify_method = verification.method.value if verification else ""
        log.info("flow %s [%s]: identified by %s%s", self.flow.id, self.run_id[:8],
                 self._method, f" ({self._verify_method})" if self._verify_method else "")
        self._advance()

    def next(self) -> None:
        self._intent(Intent.NEXT)
        kind = self.step.kind
        if kind is StepKind.CONSENT:
            self.ctx.put("consented", True, self.index)
        if kind is StepKind.DONE:
            self._finish(Outcome.DONE)
            return
        self._advance()

    def choose(self, **values: Any) -> None:
        self._intent(Intent.CHOOSE)
        accepted = self.flow.handler.apply(self.step, self.ctx, values)
        self.ctx.put_params(accepted, self.index)
        self._notify(self.index, self.status)

    def skip(self) -> None:
        self._intent(Intent.SKIP)
        if self.step.kind is StepKind.PREVIEW:
            self._enter(self.index + 2)  # past its print step (checked in the definition)
        else:
            self._advance()

    def rate(self, level: int, reasons: tuple[str, ...] | list[str] = (),
             comment: str = "") -> None:
        self._intent(Intent.RATE)
        try:
            given = ratings.validate(level, reasons, comment)
        except ratings.RatingInvalid as exc:
            raise InputRejected(exc.code) from None
        ident = self.ctx.identity
        known = ident is not None and not ident.cleared
        body = ratings.payload(
            given, item_id=self.catalog_item_id or self.flow.id, flow_id=self.flow.id,
            terminal_id=self.ports.terminal_id, run_id=self.run_id,
            names=(ident.name,) if known else (),
        )
        self._event("rating", body)
        self.rated = True
        self._advance()

    def back(self) -> None:
        self._intent(Intent.BACK)
        target = next((i for i in range(self.index - 1, -1, -1)
                       if self.flow.steps[i].kind in BACK_TARGETS), None)
        self._drop_work()
        if target is None:
            self._finish(Outcome.CANCELLED)
            return
        kind = self.flow.steps[target].kind
        # back to identify/consent means doing it again: forget it too; a choice or a filter
        # is kept as the starting point
        self.ctx.drop_from(target if kind in (StepKind.IDENTIFY, StepKind.CONSENT)
                           else target + 1)
        self._enter(target)

    def retry(self) -> None:
        self._intent(Intent.RETRY)
        again, self._retry = self._retry, None
        again()

    def cancel(self) -> None:
        self._intent(Intent.CANCEL)
        self._finish(Outcome.CANCELLED)

    def timeout(self) -> None:
        """The session's idle timeout ran out (after its visible countdown)."""
        if self.status is Status.FINISHED:
            return
        self._intent(Intent.TIMEOUT)
        self._finish(Outcome.TIMED_OUT)

    def report_problem(self, category: str) -> ProblemTicket:
        """办不成事: a ticket number and where to go; the run stays where it is."""
        self._intent(Intent.REPORT_PROBLEM)
        fb = self.fallback
        try:
            ticket = self.ports.problems.report(
                category, item_id=self.catalog_item_id or self.flow.id,
                step=self.step.kind.value, error_code=self.error.code if self.error else "",
                item_window=Place(fb.place, fb.window) if fb else None,
                online_url=fb.online_url if fb else "", run_id=self.run_id)
        except UnknownCategory:
            raise InputRejected("problem.unknown_category") from None
        self.problem_ticket = ticket
        self._notify(self.index, self.status)
        return ticket

    def preview_document(self) -> PrintableDocument | None:
        """At a preview before an A4 print: what will print, as a draft (not yet issued by the
        backend, so no verification code). None when the next print is not A4 or prints
        nothing this time."""
        if self.status is not Status.READY or not isinstance(self.step, Preview):
            return None
        nxt = self.flow.steps[self.index + 1] if self.index + 1 < len(self.flow.steps) else None
        if not isinstance(nxt, Print) or nxt.to is not Paper.A4:
            return None
        order = self._order_for_next_print()
        if order is None:
            return None
        title = order.title or DOCUMENT_TITLES.get(_kind(order.kind), order.kind)
        return PrintableDocument(order.kind, title, None, self.ctx.records, dict(order.selection))

    # ---------------------------------------------------------------- work and printing
    def pending(self) -> Work | None:
        """The work to run on a worker thread while `status` is busy (then None)."""
        return self._pending if self.status is Status.BUSY else None

    def complete(self, result: WorkResult) -> None:
        """Back on the UI thread with a `Work`'s result. A stale one is dropped unread."""
        updates, error = result.updates, result.error
        result.updates, result.error = {}, None
        work = self._pending
        if self.status is not Status.BUSY or work is None or result.token != work.token:
            log.debug("flow %s: stale work result dropped", self.flow.id)
            drop = self._dropped.pop(result.token, None)
            if drop is not None:
                self._safely(drop, updates)
            return
        self._pending = None
        for name, value in updates.items():
            self.ctx.put(name, value, self.index)
        if error is not None:
            self._fail(self._error_for(error), retry=lambda: self._enter(self.index))
            return
        if self.step.kind is StepKind.PRINT:
            self.ctx.put("job_state", "queued", self.index)
            self.status = Status.PRINTING
            early = self._early_updates.pop(self.ctx.job_id, None)
            self._early_updates.clear()
            self._notify(self.index, Status.BUSY)
            if early is not None:
                self.print_update(early)
            return
        self._advance()

    def run_pending(self) -> None:
        """Do the pending work here and now (tests, the CLI; never on a UI thread)."""
        while (work := self.pending()) is not None:
            self.complete(work())

    def print_update(self, update: Any) -> None:
        """Forwarded from the print port (`kiosk.ports.PrintUpdate`: job_id, state, reason),
        on the UI thread. Updates for other jobs are ignored; one arriving while the work that
        queued its job is still coming back is kept for it."""
        if self.status is Status.BUSY and self.step.kind is StepKind.PRINT:
            self._early_updates[update.job_id] = update
            while len(self._early_updates) > 16:  # other jobs' updates: keep a few only
                self._early_updates.pop(next(iter(self._early_updates)))
            return
        if self.status is not Status.PRINTING or update.job_id != self.ctx.job_id:
            return
        state = str(update.state)
        if state in ("queued", "printing"):
            self.ctx.put("job_state", state, self.index)
            self._notify(self.index, self.status)
        elif state == "done":
            self.ctx.put("printed", True, self.index)
            self._advance()
        else:  # failed, needs_attention, expired
            self._fail(FlowError("print.failed", StepKind.PRINT, str(update.reason) or state,
                                 True, self.fallback), retry=self._reprint)

    # ---------------------------------------------------------------- inside
    def _intent(self, intent: Intent) -> None:
        if intent not in self.allowed:
            raise FlowStateError(f"{intent} not allowed at {self.step.kind} ({self.status})")
        if self._on_activity is not None:
            self._on_activity()

    def _start(self) -> None:
        blocked = self._blocked()
        if blocked is not None:
            self._fail(blocked, retry=self._start)
            return
        self._enter(0)

    def _blocked(self) -> FlowError | None:
        """A required device or port missing before the citizen does anything."""
        for i, s in enumerate(self.flow.steps):
            if isinstance(s, Query) and s.backend and self.ports.records is None:
                return FlowError("backend.unreachable", StepKind.QUERY, "not_configured", False,
                                 self.fallback)
            if isinstance(s, Print) and not s.skippable_on_failure and not _print_is_optional(
                    self.flow.steps, i):
                reason = self._printer_problem(s)
                if reason is not None:
                    return FlowError("print.unavailable", StepKind.PRINT, reason, True,
                                     self.fallback)
        return None

    def _printer_problem(self, step: Print) -> str | None:
        if step.to is Paper.A4:
            port, ask = self.ports.documents, "document_status"
        else:
            port, ask = self.ports.receipts, "receipt_status"
        if port is None:
            return "not_configured"
        status = getattr(port, ask)()
        if status is None:
            return "not_configured"
        return None if status.usable else (str(status.reason) or str(status.level))

    def _enter(self, index: int) -> None:
        old_index, old_status = self.index, self.status
        step = self.flow.steps[index]
        if (isinstance(step, Query) and step.personal) or (
                isinstance(step, Print) and step.personal and step.to is Paper.A4):
            self._consented_id()  # raises ConsentMissing before anything changes
        self.index = index
        self.error = None
        self._retry = None
        self.status = Status.READY
        if isinstance(step, Query):
            self._begin_query(step)
        elif isinstance(step, Print):
            if not self._begin_print(step):
                return
        elif isinstance(step, Show) and not self._has_params(index):
            self.ctx.put_params(self.flow.handler.defaults(step, self.ctx), index)
        log.info("flow %s [%s]: %s -> %s (%s)", self.flow.id, self.run_id[:8],
                 self.flow.steps[old_index].kind.value, step.kind.value, self.status.value)
        self._notify(old_index, old_status)

    def _advance(self) -> None:
        if self.index + 1 >= len(self.flow.steps):
            self._finish(Outcome.DONE)
            return
        self._enter(self.index + 1)

    def _has_params(self, index: int) -> bool:
        return any(k.startswith("params.") and v == index for k, v in self.ctx._owner.items())

    def _consented_id(self) -> str:
        ident = self.ctx.identity
        if ident is None or ident.cleared or not self.ctx.consented:
            raise ConsentMissing(f"{self.flow.id}: personal step without identity and consent")
        return ident.id_number

    def _proven_ports(self) -> FlowPorts:
        """The ports a personal step's work uses: every records call carries how the citizen
        was verified and this session's id (the backend's proof)."""
        ident = self.ctx.identity
        if self.ports.records is None or ident is None or ident.cleared:
            return self.ports
        return replace(self.ports, records=ProvenRecords(
            self.ports.records, ident.verification, self.session_id))

    def _begin_query(self, step: Query) -> None:
        id_number = self._consented_id() if step.personal else None
        handler, params = self.flow.handler, dict(self.ctx.params)
        ports = self._proven_ports() if step.personal else self.ports

        def fn(out: dict[str, Any]) -> None:
            out["records"] = handler.query(step, ports, params, id_number)

        self._set_work(step, fn)

    def _order_for_next_print(self) -> DocumentOrder | None:
        nxt = self.index + 1
        if nxt < len(self.flow.steps) and isinstance(self.flow.steps[nxt], Print):
            return self._order(self.flow.steps[nxt])
        return None

    def _order(self, step: Print) -> DocumentOrder | None:
        order = self.flow.handler.document(step, self.ctx)
        if order is not None and order.kind not in step.documents:
            raise FlowDefinitionError(f"{self.flow.id}: {order.kind} is not in {step.documents}")
        return order

    def _begin_print(self, step: Print) -> bool:
        """Prepare the print work; False if the step already moved on or failed."""
        order = self._order(step)
        if order is None:  # nothing to print this time
            self._advance()
            return False
        self.ctx.put("order", order, self.index)
        reason = self._printer_problem(step)
        if reason is not None:
            self._fail(FlowError("print.unavailable", StepKind.PRINT, reason, True,
                                 self.fallback), retry=lambda: self._enter(self.index))
            return False
        handler, records = self.flow.handler, self.ctx.records
        ports = self._proven_ports() if step.personal else self.ports
        if step.to is Paper.A4:
            id_number = self._consented_id() if step.personal else None
            issued = self.ctx.issued  # issued on an earlier attempt: print that, not a new one
            title = order.title or DOCUMENT_TITLES.get(_kind(order.kind), order.kind)

            documents = ports.documents

            def discard(out: dict[str, Any]) -> None:
                if out.get("job_id"):
                    documents.discard(out["job_id"])

            def fn(out: dict[str, Any]) -> None:
                doc_issued = issued
                if doc_issued is None:
                    doc_issued = ports.records.issue_document(
                        _kind(order.kind), id_number, from_month=order.from_month,
                        to_month=order.to_month)
                    out["issued"] = doc_issued
                out["job_id"] = documents.print_document(PrintableDocument(
                    order.kind, title, doc_issued, records, dict(order.selection)))

            self._set_work(step, fn, on_drop=discard)
        else:
            def fn(out: dict[str, Any]) -> None:
                out["job_id"] = handler.print_receipt(step, ports, records, order)

            self._set_work(step, fn)
        return True

    def _reprint(self) -> None:
        self._enter(self.index)

    def _set_work(self, step: Step, fn: Callable[[dict[str, Any]], None], *,
                  on_drop: Callable[[dict[str, Any]], None] | None = None) -> None:
        self._token += 1
        self._pending = Work(self._token, step.kind, fn, on_drop)
        self.status = Status.BUSY

    def _drop_work(self) -> None:
        """Forget the pending work; if it is already running, its result will be dropped and
        what it did outside undone (`Work.on_drop`)."""
        work, self._pending = self._pending, None
        if work is not None and work.on_drop is not None:
            self._dropped[work.token] = work.on_drop
        self._token += 1

    def _safely(self, fn: Callable[..., None], *args: Any) -> None:
        try:
            fn(*args)
        except Exception as exc:
            log.warning("flow %s: clean-up failed: %s", self.flow.id, type(exc).__name__)

    def _error_for(self, exc: BaseException) -> FlowError:
        kind, fb = self.step.kind, self.fallback
        if isinstance(exc, Unreachable):
            log.warning("flow %s: backend unreachable at %s (%s)", self.flow.id, kind, exc.kind)
            return FlowError("backend.unreachable", kind, exc.kind, True, fb)
        if isinstance(exc, Rejected):
            code = {ErrorCode.CITIZEN_NOT_FOUND: "records.citizen_not_found",
                    ErrorCode.NO_ACCOUNT: "records.no_account",
                    ErrorCode.NOT_APPLICABLE: "records.not_applicable",
                    ErrorCode.VERIFICATION_REQUIRED: "identity.refused",
                    ErrorCode.PROOF_INVALID: "identity.refused",
                    ErrorCode.LOOKUP_LIMIT: "backend.lookup_limit"}.get(exc.code)
            log.info("flow %s: backend refused at %s (%s)", self.flow.id, kind, exc.code)
            return FlowError(code or "backend.rejected", kind, exc.code, False, fb)
        if isinstance(exc, PrintRefused):
            log.warning("flow %s: printer refused the job (%s)", self.flow.id, exc.reason)
            return FlowError("print.failed", kind, exc.reason, True, fb)
        if isinstance(exc, StepFailed):
            return FlowError(exc.code, kind, exc.reason, exc.retryable, fb)
        # a bug: the traceback (code lines, no values) for the technician, never the message,
        # which might quote an ID number
        tb = "".join(traceback.format_tb(exc.__traceback__))
        log.error("flow %s: unexpected %s at %s\n%s", self.flow.id, type(exc).__name__, kind,
                  tb)
        return FlowError("flow.internal_error", kind, type(exc).__name__, False, fb)

    def _fail(self, error: FlowError, retry: Callable[[], None] | None) -> None:
        old_status = self.status
        self._pending = None
        self.status = Status.FAILED
        self.error = error
        self._retry = retry if error.retryable else None
        log.info("flow %s [%s]: %s failed: %s %s", self.flow.id, self.run_id[:8],
                 self.step.kind.value, error.code, error.reason)
        self._notify(self.index, old_status)

    def _finish(self, outcome: Outcome) -> None:
        old_index, old_status = self.index, self.status
        self._drop_work()
        self._retry = None
        self._early_updates.clear()
        last_error = self.error.code if self.error else ""
        unfinished_job = self.ctx.job_id if self.status is Status.PRINTING else ""
        self.ctx.wipe()
        self.status = Status.FINISHED
        self.outcome = outcome
        documents = self.ports.documents
        if documents is not None and any(
                isinstance(s, Print) and s.to is Paper.A4 for s in self.flow.steps):
            if unfinished_job and isinstance(self.flow.steps[old_index], Print) and \
                    self.flow.steps[old_index].to is Paper.A4:
                self._safely(documents.discard, unfinished_job)
            self._safely(documents.forget_personal)
        self._event("transaction", {
            "format": EVENT_FORMAT, "run_id": self.run_id, "flow": self.flow.id,
            "item_id": self.catalog_item_id or self.flow.id, "outcome": outcome.value,
            "step": self.flow.steps[old_index].kind.value, "error_code": last_error,
            "method": self._method, "verified": self._verify_method, "rated": self.rated,
            "duration_s": round(max(0.0, self._clock() - self._started_at), 1),
            "terminal_id": self.ports.terminal_id, "channel": "kiosk",
        })
        log.info("flow %s [%s] %s at %s", self.flow.id, self.run_id[:8], outcome.value,
                 self.flow.steps[old_index].kind.value)
        self._notify(old_index, old_status)
        self._listeners.clear()
        self._on_activity = None

    def _event(self, kind: str, body: dict[str, Any]) -> None:
        try:
            self.ports.events.add(kind, body)
        except Exception as exc:  # never strand the citizen over a bookkeeping failure
            log.error("flow %s: %s event not saved: %s", self.flow.id, kind, type(exc).__name__)

    def _notify(self, old_index: int, old_status: Status) -> None:
        change = Change(old_index, old_status, self.index, self.status)
        for fn in list(self._listeners):
            fn(change)


def _kind(value: str) -> DocumentKind | str:
    try:
        return DocumentKind(value)
    except ValueError:
        return value


def required_papers(flow: Flow) -> frozenset[Paper]:
    """The printers a flow cannot do without (a print that is neither optional nor skippable):
    with one of them down the item is shown as unavailable, and only that item."""
    return frozenset(
        s.to for i, s in enumerate(flow.steps)
        if isinstance(s, Print) and not s.skippable_on_failure and not _print_is_optional(flow.steps, i)
    )
