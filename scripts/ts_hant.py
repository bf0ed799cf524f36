"""Make (or refresh) the Traditional Chinese translation from the Simplified one with OpenCC.

    python scripts/ts_hant.py [assets/translations/kiosk_zh_CN.ts] [assets/translations/kiosk_zh_TW.ts]

Every finished zh_CN message goes through OpenCC's `s2tw` (Taiwan standard characters, no
phrase replacement: the same table kiosk.language uses for catalog data, so an item's name on a
tile and in a sentence agree; `s2twp` made 请触摸屏幕 into 請觸控式螢幕幕), then FIXES. A message
already in the zh_TW file is kept as it is (hand corrections survive a refresh); messages the
code no longer has are dropped with their zh_CN source.
"""

from __future__ import annotations

import copy
import sys
import xml.etree.ElementTree as ET

import opencc

# Corrections after s2twp, checked by reading the converted file.
FIXES = {
    "觸摸屏幕": "觸控螢幕",
}


def convert(text: str, cc) -> str:
    out = cc.convert(text)
    for wrong, right in FIXES.items():
        out = out.replace(wrong, right)
    return out


def _key(ctx, msg):
    return ctx.findtext("name"), msg.findtext("source")


def build(cn_path: str, tw_path: str) -> int:
    cc = opencc.OpenCC("s2tw")
    try:
        old = ET.parse(tw_path).getroot()
        kept = {_key(c, m): m for c in old.iter("context") for m in c.iter("message")}
    except (FileNotFoundError, ET.ParseError):
        kept = {}
    tree = ET.parse(cn_path)
    root = tree.getroot()
    root.set("language", "zh_TW")
    n = 0
    for ctx in root.iter("context"):
        for i, msg in enumerate(list(ctx.iter("message"))):
            prior = kept.get(_key(ctx, msg))
            if prior is not None and prior.find("translation").get("type") is None:
                ctx.remove(msg)
                ctx.insert(list(ctx).index(msg) if msg in ctx else i + 1, copy.deepcopy(prior))
                continue
            tr = msg.find("translation")
            forms = tr.findall("numerusform")
            for part in forms or [tr]:
                if part.text:
                    part.text = convert(part.text, cc)
            n += 1
    ET.indent(tree, space="    ")
    with open(tw_path, "wb") as fh:  # as scripts/ts_fill.py writes it
        fh.write(b'<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n')
        tree.write(fh, encoding="utf-8", xml_declaration=False)
        fh.write(b"\n")
    return n


if __name__ == "__main__":
    args = sys.argv[1:] or ["assets/translations/kiosk_zh_CN.ts",
                            "assets/translations/kiosk_zh_TW.ts"]
    print(f"converted {build(*args)} messages")
