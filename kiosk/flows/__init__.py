"""Citizen flows: each high-frequency item as data plus a small handler, run by one engine.

No Qt. `kiosk.flows.engine` is the state machine, `kiosk.flows.items` declares the items,
`kiosk.flows.ports` the Protocols the composition root fills in, `kiosk.flows.rating` the
好差评 and `kiosk.flows.problem_report` the 办不成事. See docs/decisions/0010-flows.md.
"""

from kiosk.flows.engine import (
    ERROR_CODES,
    INPUT_CODES,
    Change,
    Fallback,
    Flow,
    FlowError,
    FlowRun,
    FlowStateError,
    InputRejected,
    Intent,
    Outcome,
    Status,
    StepKind,
)
from kiosk.flows.items import FLOWS, build_flows
from kiosk.flows.ports import (
    BackendRecords,
    FlowPorts,
    PrintableDocument,
    PrintRefused,
    Rejected,
    Unreachable,
)

__all__ = [
    "ERROR_CODES", "FLOWS", "INPUT_CODES", "BackendRecords", "Change", "Fallback", "Flow",
    "FlowError", "FlowPorts", "FlowRun", "FlowStateError", "InputRejected", "Intent",
    "Outcome", "PrintRefused", "PrintableDocument", "Rejected", "Status", "StepKind",
    "Unreachable", "build_flows",
]
