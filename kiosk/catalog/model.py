"""Plain data the catalog hands to the rest of the kiosk (no SQLAlchemy, no Qt)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class DepartmentInfo:
    code: str
    name: str
    short_name: str
    name_en: str
    item_count: int = 0


@dataclass(frozen=True, slots=True)
class CategoryInfo:
    code: str
    department_code: str
    name: str
    name_en: str
    item_count: int = 0


@dataclass(frozen=True, slots=True)
class ItemSummary:
    id: str
    name: str
    department_code: str
    department_name: str
    category_code: str
    level: str
    url: str
    high_frequency: bool
    kiosk_enabled: bool


@dataclass(frozen=True, slots=True)
class Material:
    name: str
    originals: int
    copies: int
    note: str = ""


@dataclass(frozen=True, slots=True)
class GuideDetail:
    item: ItemSummary
    service_object: str
    handling_type: str
    materials: tuple[Material, ...]
    steps: tuple[str, ...]
    legal_limit_days: int
    promised_limit_days: int
    fee: str
    place: str
    window: str
    hours: str
    phone: str
    basis: str
    online_url: str
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_json(cls, item: ItemSummary, body: dict[str, Any]) -> "GuideDetail":
        known = {
            "format", "service_object", "handling_type", "materials", "steps",
            "legal_limit_days", "promised_limit_days", "fee", "place", "window", "hours",
            "phone", "basis", "online_url",
        }
        return cls(
            item=item,
            service_object=str(body.get("service_object", "")),
            handling_type=str(body.get("handling_type", "")),
            materials=tuple(
                Material(
                    name=str(m.get("name", "")),
                    originals=int(m.get("originals", 0)),
                    copies=int(m.get("copies", 0)),
                    note=str(m.get("note", "")),
                )
                for m in body.get("materials", [])
            ),
            steps=tuple(str(s) for s in body.get("steps", [])),
            legal_limit_days=int(body.get("legal_limit_days", 0)),
            promised_limit_days=int(body.get("promised_limit_days", 0)),
            fee=str(body.get("fee", "")),
            place=str(body.get("place", "")),
            window=str(body.get("window", "")),
            hours=str(body.get("hours", "")),
            phone=str(body.get("phone", "")),
            basis=str(body.get("basis", "")),
            online_url=str(body.get("online_url") or item.url),
            extra={k: v for k, v in body.items() if k not in known},
        )
