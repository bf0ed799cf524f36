"""Add the strings lupdate found in the code to the committed .ts file, changing nothing else.

    python scripts/ts_merge.py FRESH.ts assets/translations/kiosk_zh_CN.ts

`make lupdate` runs lupdate into a scratch file and merges with this script instead of letting
lupdate rewrite the source of truth: the lupdate of PySide6 6.11 does not recognise
``translate(ctx, text, "", n)`` as a plural (%n) message and would turn every finished plural
translation back into an unfinished one (docs/decisions/0012). New messages arrive unfinished;
fill them with scripts/ts_fill.py.
"""

from __future__ import annotations

import sys
import xml.etree.ElementTree as ET


def merge(fresh_path: str, ts_path: str) -> list[str]:
    fresh = ET.parse(fresh_path).getroot()
    tree = ET.parse(ts_path)
    root = tree.getroot()
    contexts = {c.findtext("name"): c for c in root.iter("context")}
    added = []
    for ctx in fresh.iter("context"):
        name = ctx.findtext("name")
        target = contexts.get(name)
        if target is None:
            target = ET.SubElement(root, "context")
            ET.SubElement(target, "name").text = name
            contexts[name] = target
        known = {m.findtext("source") for m in target.iter("message")}
        for msg in ctx.iter("message"):
            source = msg.findtext("source")
            if source in known:
                continue
            new = ET.SubElement(target, "message")
            if "%n" in source:
                new.set("numerus", "yes")
            ET.SubElement(new, "source").text = source
            tr = ET.SubElement(new, "translation")
            tr.set("type", "unfinished")
            known.add(source)
            added.append(f"{name}: {source}")
    ET.indent(tree, space="    ")
    with open(ts_path, "wb") as fh:  # as scripts/ts_fill.py writes it
        fh.write(b'<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n')
        tree.write(fh, encoding="utf-8", xml_declaration=False)
        fh.write(b"\n")
    return added


if __name__ == "__main__":
    for line in merge(sys.argv[1], sys.argv[2]):
        print(f"new: {line}")
