"""Deterministic generator of the shipped service catalog (assets/catalog/catalog.json.gz).

How the catalog is built from `kiosk.catalog.sources`:

1. Every base item spec ("name|kind|flags") is expanded into its variants, as real 清单
   publish one guide per 子项: a licence gives 新办/变更/延续/注销/补证, a certificate
   首次申领/换领/补领, a business registration 设立/变更/注销登记, and so on.
2. Each variant gets one guide (materials, steps, limits, fee, legal basis) shared by all
   service points. Choices among realistic alternatives (which step sequence, which promised
   limit) come from a `random.Random` seeded with the catalog seed and the item's name, so a
   choice does not depend on the order or number of other items.
3. Service points are added in rounds: first the 区级 guides of every item (at the district
   政务服务中心 or the department's own hall), then, town by town in `sources.TOWNS` order,
   the items moved down to that 街道/镇 便民服务中心 (flag ``T``; ``Z`` = 镇 only). A town
   item is named "事项（丁堰街道）", with that centre's address, window, hours and phone.
   Rounds stop once the catalog holds `min_items` items; the default (10,000) needs all twelve
   towns, a small `min_items` gives a fast prefix of the full catalog (the same ids and
   contents, fewer service points).
4. Ids are the department code in capitals plus a serial per department in generation order
   ("RS-000001"); 事项编码 are the implementing body's 统一社会信用代码 (with valid check
   characters) + 事项类型 (2) + 主项 (5) + 子项 (3).
5. Search keys: the name, then `synonyms.aliases_for(name)`, each with pypinyin full pinyin and
   initials (letters only; non-Han characters dropped). Pinyin is computed per run of Han
   characters and cached, since pypinyin never segments across non-Han characters.

The output is byte-for-byte reproducible: sorted keys, compact separators, UTF-8, gzip with
mtime 0 and no file name. ``python -m kiosk.catalog.generate --out assets/catalog/catalog.json.gz``
rebuilds the shipped file.
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import os
import random
import re
import sys
import time
from functools import lru_cache
from pathlib import Path
from typing import Any

from kiosk.catalog import sources as src
from kiosk.catalog.synonyms import aliases_for

FORMAT = 1
GUIDE_FORMAT = 1
VERSION = "2026.11.2"
DEFAULT_SEED = 20261123
DEFAULT_MIN_ITEMS = 10_000
DEFAULT_OUT = Path(__file__).resolve().parents[2] / "assets" / "catalog" / "catalog.json.gz"

MAX_MATERIALS = 6

# Readings pypinyin's phrase dictionary gets wrong for words used in the catalog.
_PINYIN_FIXES: dict[str, list[list[str]]] = {
    "还款": [["huán"], ["kuǎn"]],
    "重置": [["chóng"], ["zhì"]],
    "多重": [["duō"], ["chóng"]],
    "参战": [["cān"], ["zhàn"]],
    "军人参战": [["jūn"], ["rén"], ["cān"], ["zhàn"]],
    "发卡": [["fā"], ["kǎ"]],
    "献血": [["xiàn"], ["xuè"]],
    "用血": [["yòng"], ["xuè"]],
}

# ---------------------------------------------------------------------------------------------
# Pinyin keys
# ---------------------------------------------------------------------------------------------
_HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_NOT_LETTER = re.compile(r"[^a-z]")
_fixes_loaded = False


def _load_fixes() -> None:
    global _fixes_loaded
    if not _fixes_loaded:
        if _PINYIN_FIXES:
            from pypinyin import load_phrases_dict

            load_phrases_dict(_PINYIN_FIXES)
        _fixes_loaded = True


@lru_cache(maxsize=None)
def _run_syllables(run: str) -> tuple[str, ...]:
    from pypinyin import lazy_pinyin

    _load_fixes()
    out = []
    for syl in lazy_pinyin(run, errors="ignore"):
        syl = _NOT_LETTER.sub("", syl.lower())
        if syl:
            out.append(syl)
    return tuple(out)


@lru_cache(maxsize=None)
def pinyin_key(text: str) -> tuple[str, str]:
    """(full pinyin, initials) of `text`: lowercase ascii letters, non-Han characters dropped."""
    syllables = [s for run in _HAN_RUN.findall(text) for s in _run_syllables(run)]
    return "".join(syllables), "".join(s[0] for s in syllables)


_DOUBLED = re.compile(r"([\u4e00-\u9fff])\1")


def _tidy_alias(name: str, alias: str) -> str:
    """Undo a doubled character a short form creates ("失业保险金" -> "失业金金" -> "失业金")."""
    return _DOUBLED.sub(lambda m: m.group(0) if m.group(0) in name else m.group(1), alias)


def search_keys(name: str) -> list[dict[str, str]]:
    """The name, then its aliases, each with full pinyin and initials."""
    texts = [name]
    for alias in aliases_for(name):
        alias = _tidy_alias(name, alias)
        if alias not in texts:
            texts.append(alias)
    keys = []
    for text in texts:
        full, initials = pinyin_key(text)
        keys.append({"text": text, "pinyin": full, "initials": initials})
    return keys


# ---------------------------------------------------------------------------------------------
# 统一社会信用代码 (GB 32100-2015) with the organisation code check (GB 11714-1997)
# ---------------------------------------------------------------------------------------------
_USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def _org_code(rng: random.Random) -> str:
    body = "".join(rng.choice("0123456789") for _ in range(8))
    c = 11 - sum(int(ch) * w for ch, w in zip(body, _ORG_WEIGHTS)) % 11
    return body + ("X" if c == 10 else "0" if c == 11 else str(c))


def credit_code(rng: random.Random, region: str = src.REGION_CODE) -> str:
    """A 统一社会信用代码 of a 机关 (登记管理部门 1, 机构类别 1) with valid check characters."""
    first17 = "11" + region + _org_code(rng)
    total = sum(_USCC_CHARS.index(ch) * w for ch, w in zip(first17, _USCC_WEIGHTS))
    return first17 + _USCC_CHARS[(31 - total % 31) % 31]


def credit_code_valid(code: str) -> bool:
    if len(code) != 18 or any(ch not in _USCC_CHARS for ch in code):
        return False
    total = sum(_USCC_CHARS.index(ch) * w for ch, w in zip(code[:17], _USCC_WEIGHTS))
    return _USCC_CHARS[(31 - total % 31) % 31] == code[17]


# ---------------------------------------------------------------------------------------------
# Expansion of the sources into variants with guides
# ---------------------------------------------------------------------------------------------
def _parse_spec(spec: str) -> tuple[str, str, str]:
    parts = spec.split("|")
    if len(parts) == 2:
        parts.append("")
    name, kind, flags = parts
    return name, kind, flags


def _variant_names(tpl: str, family: str | None) -> list[tuple[str, str | None]]:
    if family is None or family not in src.VARIANTS:
        if "{}" in tpl:
            raise ValueError(f"{tpl!r}: template without a variant family")
        return [(tpl, None)]
    out = []
    for word in src.VARIANTS[family]:
        name = tpl.format(word) if "{}" in tpl else f"{tpl}（{word}）"
        out.append((name, word))
    return out


def _form_name(base: str, variant_name: str, word: str | None, templated: bool) -> str:
    """The application form a guide asks for, named as real guides name them."""
    if word is not None and not templated:
        stem = base if word in ("新办", "首次备案", "首次注册") else base + word
        return f"《{stem}申请书》"
    name = re.sub(r"（[^（）]*）$", "", variant_name)
    if name.endswith("审批"):
        return f"《{name[:-2]}申请审批表》"
    if name.endswith(("申领", "登记", "备案", "申报")):
        return f"《{name}表》"
    if name.endswith("申请"):
        return f"《{name}表》"
    return f"《{name}申请表》"


def _identity(obj: str, kind: str, dept: str, word: str | None, name: str) -> list[tuple]:
    if name in src.NO_IDENTITY:
        return []
    if obj == "自然人":
        if kind in ("P", "Q") and dept in ("rs", "yb", "sw", "gjj"):
            return [src.M_ID_OR_CARD]
        if kind in ("P", "Q"):
            return [src.M_ID]
        return [src.M_ID_COPY] if kind in ("L", "O", "A", "B") else [src.M_ID]
    if obj == "法人":
        if kind == "O" and word == "成立":
            return [("拟任法定代表人身份证件", 1, 1, ""),
                    ("业务主管单位批准文件", 1, 0, "依法需要前置审批的提供")]
        if kind == "O" and word == "设立":
            return [src.M_LEGAL, ("全体投资人（出资人）主体资格证明", 1, 1, "")]
        if kind == "O" and word == "注销":
            return [src.M_LEGAL]  # the licence itself is handed in, see _KIND_VARIANT_EXTRA
        return [src.M_LICENCE, src.M_LEGAL]
    return [("申请人身份证明", 1, 1, "自然人提供居民身份证；法人提供营业执照及法定代表人身份证明")]


_KIND_VARIANT_EXTRA: dict[tuple[str, str], list[tuple]] = {
    ("O", "注销"): [("营业执照正、副本", 1, 0, "办理注销时缴回"),
                    ("清税证明", 1, 0, "税务部门出具；个体工商户可免于提交")],
    ("O", "变更"): [src.M_CHANGE],
    ("ORG3", "注销"): [("登记证书正、副本及印章", 1, 0, "办理注销时缴回"), ("清算报告", 1, 0, "")],
}
_VARIANT_EXTRA: dict[str, tuple] = {
    "变更": src.M_CHANGE,
    "变更注册": src.M_CHANGE,
    "变更备案": src.M_CHANGE,
    "延续": src.M_CERT_OLD,
    "注销": src.M_CERT_OLD,
    "注销注册": ("原执业证书", 1, 0, ""),
    "注销备案": ("原备案凭证", 1, 0, "如有"),
    "补证": src.M_LOSS,
    "补领": src.M_LOSS,
    "补发": src.M_LOSS,
    "换领": ("原证件", 1, 0, "到期或损坏的证件"),
    "换发": ("原证件", 1, 0, "到期或损坏的证件"),
}
# Variants that need only the identity, the form and the variant's own papers.
_REDUCED = frozenset({"变更", "注销", "补证", "补领", "补发", "变更注册", "注销注册", "变更备案",
                      "注销备案"})


def _lookup(table: dict, variant_name: str, tpl: str, default=None):
    if variant_name in table:
        return table[variant_name]
    return table.get(tpl, default)


def _materials(tpl, base, variant_name, word, templated, kind, kind_code, obj, dept, cat_code
               ) -> list[dict]:
    items: list[tuple] = list(_identity(obj, kind, dept, word, variant_name))
    own = src.ITEM_MATERIALS.get(variant_name)  # variant-specific: complete as given
    specific = own if own is not None else src.ITEM_MATERIALS.get(tpl)
    if specific is None:
        specific = src.CATEGORY_MATERIALS.get(cat_code)
    if specific is None:
        key = kind_code if kind_code in src.KIND_MATERIALS else kind
        if key == "L1" and obj == "自然人":
            key = "L1_person"
        elif key == "L" and any(w in base for w in src.BUSINESS_LICENCE_WORDS):
            key = "L_business"
        specific = src.KIND_MATERIALS[key]
    form = _form_name(base, variant_name, word, templated)
    reduced = own is None and word in _REDUCED
    for m in specific:
        if m[0] == "{form}" or (reduced and m[0].startswith("《")):
            m = (form, *m[1:])
        elif reduced:
            continue
        items.append(m)
    if own is None and word is not None:
        extra = _KIND_VARIANT_EXTRA.get((kind_code, word)) or _KIND_VARIANT_EXTRA.get((kind, word))
        items.extend(extra or [_VARIANT_EXTRA.get(word)])
    if obj != "自然人" and kind not in ("P", "Q"):
        items.append(src.M_AGENT)
    items = [m for m in items if m is not None]
    seen, out = set(), []
    for name, originals, copies, note in items:
        if name in seen:
            continue
        seen.add(name)
        out.append({"name": name, "originals": originals, "copies": copies, "note": note})
    return out[:MAX_MATERIALS]


def _limits(base_limits, variant_name, word) -> tuple[int, int]:
    fixed = src.ITEM_LIMITS.get(variant_name)
    legal, promised = fixed if fixed is not None else base_limits
    if word is not None and word.startswith("注销"):
        promised = min(promised, 3)
    return legal, min(promised, legal)


def _base_limits(rng, tpl, kind, dept, cat_code) -> tuple[int, int]:
    fixed = src.ITEM_LIMITS.get(tpl)
    if fixed is not None:
        return fixed
    if kind in ("S", "R", "Q", "P") and tpl.endswith(src.INSTANT_SUFFIXES):
        return 0, 0
    if cat_code in src.CATEGORY_LIMITS and kind in ("A", "B"):
        legal, promised = rng.choice(src.CATEGORY_LIMITS[cat_code])
    elif dept == "bdc" and kind == "A":
        legal, promised = rng.choice(src.ESTATE_LIMITS)
    else:
        legal, promised = rng.choice(src.LIMITS[kind])
    return legal, promised


def _fee(tpl, variant_name, dept, cat_code, kind) -> str:
    fee = _lookup(src.FEES, variant_name, tpl)
    if fee is not None:
        return fee
    if dept == "bdc" and kind == "A":
        if any(w in variant_name for w in src.ESTATE_FREE_WORDS):
            return src.FEE_FREE
        if variant_name.startswith("宅基地"):
            return src.FEE_ESTATE_HOMESTEAD
        return src.FEE_ESTATE
    if dept == "bdc" and "证书" in variant_name:
        return "证书工本费 10 元/本"
    if cat_code == "sf.gz":
        return src.FEE_NOTARY
    return src.FEE_FREE


def _basis(tpl, variant_name, dept, cat_basis, kind, legal) -> str:
    basis = _lookup(src.ITEM_BASIS, variant_name, tpl)
    if basis is None:
        basis = next((b for word, b in src.BASIS_KEYWORDS.get(dept, ()) if word in tpl), cat_basis)
    if kind == "L" and legal == 20 and "行政许可法" not in basis:
        basis += "；《中华人民共和国行政许可法》第四十二条"
    return basis


def _expand(seed: int) -> list[dict[str, Any]]:
    """All variants (one dict each) with their shared guide parts, in department order."""
    out: list[dict[str, Any]] = []
    seen_names: set[str] = set()
    for d_order, dept in enumerate(src.DEPARTMENTS, start=1):
        code = dept["code"]
        base_index = 0
        for cat in dept["categories"]:
            c_code, _c_name, _c_en, c_obj, c_basis, specs = cat
            cat_code = f"{code}.{c_code}"
            for spec in specs:
                tpl, kind_code, flags = _parse_spec(spec)
                base_index += 1
                family = kind_code if kind_code in src.FAMILY_KIND else None
                kind = src.FAMILY_KIND.get(kind_code, kind_code)
                if kind not in src.TYPE_CODES:
                    raise ValueError(f"{spec!r}: unknown kind {kind_code!r}")
                rng = random.Random(f"{seed}:{code}:{tpl}")
                kiosk = "K" in flags or (
                    kind in src.KIOSK_KINDS and code in src.KIOSK_DEPARTMENTS and "X" not in flags)
                if cat_code in src.CATEGORY_STEPS and kind in ("A", "B"):
                    steps_choice = rng.choice(src.CATEGORY_STEPS[cat_code])
                elif kind in src.KIOSK_KINDS and not kiosk:
                    steps_choice = rng.choice(src.STEPS[kind + "_desk"])
                else:
                    steps_choice = rng.choice(src.STEPS.get(kind_code, src.STEPS[kind]))
                base_limits = _base_limits(rng, tpl, kind, code, cat_code)
                obj = src.ITEM_OBJECT.get(tpl, c_obj)
                base = tpl.replace("{}", "")
                templated = "{}" in tpl
                variants = _variant_names(tpl, family)
                for v_index, (vname, word) in enumerate(variants):
                    if vname in seen_names:
                        raise ValueError(f"duplicate item name {vname!r}")
                    seen_names.add(vname)
                    legal, promised = _limits(base_limits, vname, word)
                    steps = list(steps_choice)
                    if word is not None and v_index > 0:
                        steps = list(src.VARIANT_STEPS.get(word, steps_choice))
                    out.append({
                        "dept": code,
                        "dept_order": d_order,
                        "category": cat_code,
                        "name": vname,
                        "main": f"{d_order:02d}{base_index:03d}",
                        "sub": f"{v_index + 1:03d}",
                        "type": src.TYPE_CODES[kind],
                        "towns": "N" not in flags
                        and ("T" in flags or cat_code in src.TOWN_CATEGORIES),
                        "zhen_only": "N" not in flags
                        and ("Z" in flags or cat_code in src.ZHEN_CATEGORIES),
                        "kiosk": kiosk,
                        "high": vname in src.HIGH_FREQUENCY,
                        "guide": {
                            "format": GUIDE_FORMAT,
                            "service_object": obj,
                            "handling_type": "即办件" if promised == 0 else "承诺件",
                            "materials": _materials(tpl, base, vname, word, templated, kind,
                                                    kind_code, obj, code, cat_code),
                            "steps": steps,
                            "legal_limit_days": legal,
                            "promised_limit_days": promised,
                            "fee": _fee(tpl, vname, code, cat_code, kind),
                            "basis": _basis(tpl, vname, code, c_basis, kind, legal),
                        },
                    })
    unknown = src.HIGH_FREQUENCY - seen_names
    if unknown:
        raise ValueError(f"HIGH_FREQUENCY names no item: {sorted(unknown)}")
    return out


# ---------------------------------------------------------------------------------------------
# Service points
# ---------------------------------------------------------------------------------------------
def _phone(rng: random.Random) -> str:
    return f"{src.AREA_CODE}-8{rng.randrange(1_000_000, 10_000_000)}"


def _service_points(seed: int) -> tuple[dict, dict]:
    """District points per department/category and town points, all drawn from one stream."""
    rng = random.Random(seed)
    district: dict[str, dict[str, str]] = {}
    for dept in src.DEPARTMENTS:
        district[dept["code"]] = {
            "credit": credit_code(rng),
            "place": dept["place"],
            "window": dept["window"],
            "hours": dept["hours"],
            "phone": _phone(rng),
        }
    towns: dict[str, dict[str, Any]] = {}
    labels = sorted(set(src.TOWN_WINDOWS.values()) - {"综合受理窗口"})
    for town in src.TOWNS:
        order = labels[:]
        rng.shuffle(order)
        numbers = {label: n for n, label in enumerate(order, start=3)}
        towns[town] = {
            "credit": credit_code(rng),
            "place": f"{town}便民服务中心" + rng.choice(("一楼大厅", "一楼", "一楼服务大厅")),
            "numbers": numbers,
            "phone": _phone(rng),
            "zhen": town.endswith("镇"),
        }
    return district, towns


def _town_window(town: dict, dept: str) -> str:
    label = src.TOWN_WINDOWS.get(dept, "综合受理窗口")
    if label == "综合受理窗口":
        return "1-2 号综合受理窗口"
    return f"{town['numbers'][label]} 号{label}"


# ---------------------------------------------------------------------------------------------
# Catalog
# ---------------------------------------------------------------------------------------------
def _departments() -> list[dict[str, Any]]:
    out = []
    for d_order, dept in enumerate(src.DEPARTMENTS, start=1):
        cats = [
            {"code": f"{dept['code']}.{c[0]}", "name": c[1], "name_en": c[2], "order": i}
            for i, c in enumerate(dept["categories"], start=1)
        ]
        out.append({"code": dept["code"], "name": dept["name"], "short_name": dept["short_name"],
                    "name_en": dept["name_en"], "order": d_order, "categories": cats})
    return out


def generate_catalog(seed: int = DEFAULT_SEED, min_items: int = DEFAULT_MIN_ITEMS) -> dict:
    """The catalog dict: 区级 guides, then towns in order until at least `min_items` items.

    Raises ValueError if even all service points give fewer than `min_items` items.
    """
    variants = _expand(seed)
    district, towns = _service_points(seed)
    serial: dict[str, int] = {}
    items: list[dict[str, Any]] = []

    def emit(v: dict, level: str, point: dict[str, str], credit: str) -> None:
        dept = v["dept"]
        serial[dept] = serial.get(dept, 0) + 1
        iid = f"{dept.upper()}-{serial[dept]:06d}"
        url = src.URL_BASE + iid
        name = v["name"] if level == src.DISTRICT_LEVEL else f"{v['name']}（{level}）"
        guide = dict(v["guide"])
        guide.update(place=point["place"], window=point["window"], hours=point["hours"],
                     phone=point["phone"], online_url=url)
        items.append({
            "id": iid,
            "code": f"{credit}{v['type']}{v['main']}{v['sub']}",
            "name": name,
            "department": dept,
            "category": v["category"],
            "level": level,
            "kiosk_enabled": v["kiosk"],
            "high_frequency": v["high"],
            "url": url,
            "keys": search_keys(name),
            "guide": guide,
        })

    for v in variants:
        point = dict(district[v["dept"]])
        if v["category"] in src.CATEGORY_POINTS:
            point["place"], point["window"], point["hours"] = src.CATEGORY_POINTS[v["category"]]
        emit(v, src.DISTRICT_LEVEL, point, point["credit"])
    for town_name in src.TOWNS:
        if len(items) >= min_items:
            break
        town = towns[town_name]
        for v in variants:
            if not (v["towns"] or (v["zhen_only"] and town["zhen"])):
                continue
            point = {"place": town["place"], "window": _town_window(town, v["dept"]),
                     "hours": src.HOURS_TOWN, "phone": town["phone"]}
            emit(v, town_name, point, town["credit"])
    if len(items) < min_items:
        raise ValueError(f"the sources give only {len(items)} items, fewer than {min_items}")

    items.sort(key=lambda it: it["id"])
    return {
        "format": FORMAT,
        "version": VERSION,
        "seed": seed,
        "departments": _departments(),
        "items": items,
    }


def catalog_bytes(catalog: dict) -> bytes:
    """The gzip file contents: identical input gives identical bytes."""
    text = json.dumps(catalog, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    buf = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buf, compresslevel=9, mtime=0) as gz:
        gz.write(text.encode("utf-8"))
    return buf.getvalue()


def write_catalog(path: Path | str, catalog: dict) -> Path:
    """Write `catalog` as gzip JSON to `path` (atomically: a temp file, then rename)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    data = catalog_bytes(catalog)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)
    return path


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m kiosk.catalog.generate",
                                description="Generate the service catalog data file.")
    p.add_argument("--out", default=str(DEFAULT_OUT), help="output .json.gz path")
    p.add_argument("--seed", type=int, default=DEFAULT_SEED)
    p.add_argument("--min-items", type=int, default=DEFAULT_MIN_ITEMS)
    args = p.parse_args(argv)
    t0 = time.perf_counter()
    try:
        catalog = generate_catalog(args.seed, args.min_items)
    except ValueError as exc:
        print(f"catalog: {exc}", file=sys.stderr)
        return 1
    path = write_catalog(args.out, catalog)
    n_cats = sum(len(d["categories"]) for d in catalog["departments"])
    print(f"wrote {path}: {len(catalog['items'])} items, {len(catalog['departments'])} "
          f"departments, {n_cats} categories, {path.stat().st_size} bytes, "
          f"{time.perf_counter() - t0:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
