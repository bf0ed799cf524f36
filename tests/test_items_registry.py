"""The item registry (kiosk.flows.items): everything about an item is read from its entry, and
an entry that could not work is refused when it is declared, not when a citizen meets it."""

from __future__ import annotations

import gzip
import importlib
import json
from dataclasses import replace

import pytest

import protocol as p
from kiosk.catalog.importer import BUNDLED_CATALOG
from kiosk.catalog.repository import ORG_CODE_LENGTH
from kiosk.flows.engine import Paper, Print, Query
from kiosk.flows.items import FETCH_WORDS, ITEMS, DocumentSpec, ItemRegistry


def _resolve(path: str):
    module, _, name = path.partition(":")
    return getattr(importlib.import_module(module), name)


def test_every_entry_names_parts_that_exist():
    registry = ItemRegistry()
    for spec in registry:
        flow = registry.flows[spec.id]
        assert callable(_resolve(spec.view)), spec.id
        for step in flow.steps:
            if isinstance(step, Query) and step.personal:
                # a records call, or the access log (its own protocol call, made by its handler)
                assert step.call in {*p.RECORDS_CALLS, "access_log"}, (spec.id, step.call)
                assert step.call in FETCH_WORDS
            if isinstance(step, Print) and step.to is Paper.A4:
                for kind in step.documents:
                    assert callable(_resolve(registry.renderer(kind))), (spec.id, kind)


def test_every_bound_code_finds_its_items_in_the_shipped_catalog():
    """Bound by base code, an item is found at the district and at every town's service
    point; a code that finds nothing would silently turn an item back into a guide."""
    with gzip.open(BUNDLED_CATALOG) as fh:
        items = json.load(fh)["items"]
    by_code: dict[str, list[str]] = {}
    for item in items:
        by_code.setdefault(item["code"][ORG_CODE_LENGTH:], []).append(item["level"])
    for spec in ItemRegistry():
        for code in spec.catalog_codes:
            levels = by_code.get(code, [])
            assert "区级" in levels and len(levels) > 1, (spec.id, code, levels)


def test_the_renderer_of_a_document_kind_is_the_registered_one():
    from printing import flow_documents

    registry = ItemRegistry()
    for kind in p.DocumentKind:
        assert flow_documents.renderer_for(kind.value) is _resolve(registry.renderer(kind.value))


@pytest.mark.parametrize("change,message", [
    (lambda s: replace(s, catalog_codes=("2001001001",)), "bound to"),
    (lambda s: replace(s, documents={}), "no words"),
])
def test_a_broken_entry_is_refused_when_declared(change, message):
    spec = next(s for s in ITEMS if s.id == "gjj.deposits")
    other = replace(change(spec), id="test.other",
                    make_flow=lambda settings: replace(spec.make_flow(settings), id="test.other"))
    with pytest.raises(ValueError, match=message):
        ItemRegistry((*ITEMS, other))


def test_personal_items_are_declared_verified():
    registry = ItemRegistry()
    for spec in registry:
        flow = registry.flows[spec.id]
        personal = any(isinstance(s, (Query, Print)) and s.personal for s in flow.steps)
        assert (spec.assurance == "verified") == personal, spec.id
        assert flow.verified == personal and flow.assurance.value == spec.assurance


@pytest.mark.parametrize("assurance,message", [
    ("none", "assurance must be 'verified'"),
    ("strong", "neither"),
])
def test_a_personal_item_not_declared_verified_is_refused(assurance, message):
    spec = next(s for s in ITEMS if s.id == "gjj.deposits")
    other = replace(spec, id="test.other", catalog_codes=(), assurance=assurance,
                    make_flow=lambda settings: replace(spec.make_flow(settings), id="test.other"))
    with pytest.raises(ValueError, match=message):
        ItemRegistry((*ITEMS, other))


def test_a_verified_item_needs_an_identify_step():
    spec = next(s for s in ITEMS if s.id == "queue.ticket")
    with pytest.raises(ValueError, match="no identify step"):
        ItemRegistry((*[s for s in ITEMS if s.id != "queue.ticket"],
                      replace(spec, assurance="verified")))


def test_an_item_declared_twice_is_refused():
    with pytest.raises(ValueError, match="twice"):
        ItemRegistry((*ITEMS, ITEMS[0]))


def test_a_flow_must_carry_its_entry_id():
    spec = replace(ITEMS[0], id="test.mismatch", catalog_codes=())
    with pytest.raises(ValueError, match="builds flow"):
        ItemRegistry((*ITEMS, spec))


def test_words_of_a_paper_come_from_its_entry():
    registry = ItemRegistry()
    assert registry.document_words("document.medical_enrolment") == \
        "Medical insurance enrolment certificate (A4)"
    assert isinstance(next(iter(ITEMS)).documents["ss_certificate"], DocumentSpec)
