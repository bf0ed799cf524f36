"""Fill a Qt .ts file's unfinished messages from a JSON map {source: translation}.

Used when a batch of new strings is translated at once:
    python scripts/ts_fill.py assets/translations/kiosk_zh_CN.ts translations.json
Numerus messages (%n) take the translation as their single Chinese form. Existing finished
translations are left alone unless --overwrite.
"""

from __future__ import annotations

import json
import sys
import xml.etree.ElementTree as ET


def fill(ts_path: str, mapping: dict[str, str], overwrite: bool = False) -> list[str]:
    tree = ET.parse(ts_path)
    missing = []
    for msg in tree.getroot().iter("message"):
        source = msg.findtext("source")
        tr = msg.find("translation")
        finished = tr is not None and tr.get("type") not in ("unfinished", "vanished", "obsolete")
        if finished and not overwrite:
            continue
        if source not in mapping:
            missing.append(source)
            continue
        tr.attrib.pop("type", None)
        if msg.get("numerus") == "yes":
            for child in list(tr):
                tr.remove(child)
            tr.text = None
            form = ET.SubElement(tr, "numerusform")
            form.text = mapping[source]
        else:
            tr.text = mapping[source]
    ET.indent(tree, "    ")
    with open(ts_path, "wb") as fh:
        fh.write(b'<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n')
        tree.write(fh, encoding="utf-8", xml_declaration=False)
        fh.write(b"\n")
    return missing


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    with open(args[1], encoding="utf-8") as fh:
        left = fill(args[0], json.load(fh), overwrite="--overwrite" in sys.argv)
    for s in left:
        print("untranslated:", s)
    sys.exit(1 if left else 0)
