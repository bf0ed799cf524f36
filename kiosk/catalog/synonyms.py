"""Short forms and other words citizens type, and the official forms they stand for.

Used twice: when the catalog is built, every item name gets aliases with the short forms
(so the pinyin initials of 社保参保证明 find 社会保险参保证明); at query time a Chinese query
is expanded both ways (医保 finds 医疗保险 and 医疗保险 finds 医保).
"""

from __future__ import annotations

# (long form, short form): official names and the abbreviations everyone uses. Item names get
# aliases from these, with their own pinyin keys.
ABBREVIATIONS: tuple[tuple[str, str], ...] = (
    ("社会保险", "社保"),
    ("基本医疗保险", "医保"),
    ("医疗保险", "医保"),
    ("医疗保障", "医保"),
    ("住房公积金", "公积金"),
    ("居民身份证", "身份证"),
    ("机动车驾驶证", "驾驶证"),
    ("社会保障卡", "社保卡"),
    ("最低生活保障", "低保"),
    ("往来港澳通行证", "港澳通行证"),
)

# Words people type for something the catalog names differently. Used at query time only:
# as aliases they would make odd names (出入境 -> 护照 gives "护照记录查询").
SYNONYMS: tuple[tuple[str, str], ...] = ABBREVIATIONS + (
    ("养老保险", "养老"),
    ("失业保险", "失业金"),
    ("工伤保险", "工伤"),
    ("生育保险", "生育"),
    ("机动车驾驶证", "驾照"),
    ("户口", "户籍"),
    ("不动产登记", "房产"),
    ("不动产权证书", "房产证"),
    ("营业执照", "执照"),
    ("出入境", "护照"),
)


def aliases_for(name: str) -> list[str]:
    """Names the item is also known by: every long form in `name` replaced by its short form."""
    out: list[str] = []
    for long, short in ABBREVIATIONS:
        if long in name:
            alias = name.replace(long, short)
            if alias != name and alias not in out:
                out.append(alias)
    # Apply all replacements together too (社会保险...医疗保险 -> 社保...医保).
    combined = name
    for long, short in ABBREVIATIONS:
        if long in combined:
            combined = combined.replace(long, short)
    if combined != name and combined not in out:
        out.append(combined)
    return out


def expand_query(query: str) -> list[str]:
    """The query itself and its synonym variants, longest-first unique."""
    variants = [query]
    for long, short in SYNONYMS:
        if long in query:
            variants.append(query.replace(long, short))
        elif short in query:
            variants.append(query.replace(short, long))
    seen: list[str] = []
    for v in variants:
        if v and v not in seen:
            seen.append(v)
    return seen
