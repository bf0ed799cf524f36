"""The demo's four fixed citizens, shared by both ends of the demo: the reference backend seeds
their records (`backend.seed`), the kiosk's demo puts their cards on the simulated reader
(`screens.widgets.simulator`, `screens.tour`). The two ends share nothing but `protocol`, so
they agree on these people here. Not part of the wire protocol: a real backend never needs it,
and `protocol/__init__.py` stays a single file to vendor.

Each is described by what the seed needs: the ID number's parts (address code, birth date,
sequence) and the shape of their records (years of history, properties, a provident-fund
account, still employed).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from protocol import id_check_digit


@dataclass(frozen=True)
class DemoCitizen:
    name: str
    region: str
    born: date
    sequence: int
    story: str
    history_years: int
    property_count: int
    provident_fund: bool
    employed: bool

    @property
    def id_number(self) -> str:
        first17 = f"{self.region}{self.born:%Y%m%d}{self.sequence:03d}"
        return first17 + id_check_digit(first17)


DEMO_CITIZENS = (
    DemoCitizen("张伟", "320402", date(1985, 3, 12), 123, "all records, two properties",
                9, 2, True, True),
    DemoCitizen("李娜", "320411", date(1992, 7, 8), 246, "no real estate: the 无房证明 case",
                6, 0, True, True),
    DemoCitizen("王建国", "320412", date(1968, 10, 1), 317, "left his employer: suspended, "
                "provident fund sealed, one property", 10, 1, True, False),
    DemoCitizen("陈静", "320481", date(1998, 12, 24), 42, "young, no provident-fund account",
                2, 0, False, True),
)


# The demo hall's staff (docs/decisions/0019): the backend seeds them, the kiosk's tour logs them
# in. Demo PINs and badge only: a real hall's accounts come from `python -m backend staff add`.
DEMO_HALL = "demo-hall"


@dataclass(frozen=True)
class DemoStaff:
    staff_no: str
    name: str
    role: str  # protocol.staff.StaffRole
    pin: str


DEMO_STAFF = (
    DemoStaff("1001", "张敏", "helper", "246810"),
    DemoStaff("1002", "李强", "shift_lead", "135792"),
    DemoStaff("1003", "王工", "technician", "975310"),
    DemoStaff("1004", "赵审", "auditor", "864209"),
)
# 1001's badge: the QR text is protocol.staff.BADGE_PREFIX + "1001:" + this token.
DEMO_BADGE_TOKEN = "DemoBadge1001-ZhangMin-NotSecret"
DEMO_BADGE_QR = "GOVKIOSK-STAFF:1:1001:" + DEMO_BADGE_TOKEN

__all__ = ["DEMO_BADGE_QR", "DEMO_BADGE_TOKEN", "DEMO_CITIZENS", "DEMO_HALL", "DEMO_STAFF",
           "DemoCitizen", "DemoStaff"]
