"""Demo data for the reference backend, deterministic from a seed.

`seed_database(db)` fills an empty database with: the service catalog from
assets/catalog/catalog.json.gz (numbered for incremental pulls), a few hundred synthetic
citizens (valid GB 11643-1999 ID numbers, real-looking names) with employers, several years of
social-insurance contributions, medical-insurance accounts and their spending, housing
provident-fund accounts and deposits, and real-estate registrations for some of them (the others
are the 无房证明 case); queue business types; the demo terminal and the enrolment code
``DEMO-ENROL`` (any terminal id not yet enrolled: it cannot enrol an enrolled one again); the
demo terminal's hall and its staff (`protocol.demo.DEMO_STAFF`, argon2id-hashed PINs, a badge).

Everyone's history is generated in "months before the reference month", with a random stream of
its own (seed and person number), so the same seed gives the same people and the same histories,
shifted to end at the month before `as_of`. Running it again on a seeded database only brings the
catalog up to date and adds what is missing.

`DEMO_CITIZENS` (`protocol.demo`, shared with the kiosk's demo) are four fixed people for demos
and tests (documented in the README of the demo):
"""

from __future__ import annotations

import logging
import random
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from sqlalchemy import func, insert, select

from backend import idnumber
from backend.catalog import BUNDLED_CATALOG, ImportStats, import_catalog
from backend.db import Database
from backend.models import (
    Citizen,
    Contribution,
    Employer,
    EnrolmentCode,
    InsuranceEnrolment,
    MedicalAccount,
    MedicalTransaction,
    ProvidentFundAccount,
    ProvidentFundDeposit,
    QueueBusinessType,
    RealEstateRegistration,
    StaffAccount,
    Terminal,
    TerminalCommand,
)
from backend.security import enrolment_code_digest
from backend.staff import StaffChange, set_badge, upsert_staff
from protocol import LOCAL_TZ
from protocol.demo import DEMO_BADGE_TOKEN, DEMO_CITIZENS, DEMO_HALL, DEMO_STAFF

log = logging.getLogger("backend.seed")

DEFAULT_SEED = 20261123
DEFAULT_CITIZENS = 300

DEMO_ENROLMENT_CODE = "DEMO-ENROL"
DEMO_TERMINAL_ID = "DEMO-0001"
DEMO_TERMINAL_PLACE = "政务服务中心 24 小时自助服务区"

__doc__ += "\n".join(f"- {c.name} {c.id_number}: {c.story}" for c in DEMO_CITIZENS) + "\n"

STAFF = tuple((m.staff_no, m.name, m.role, m.pin) for m in DEMO_STAFF)  # demo PINs only

QUEUE_TYPES = (  # code, name, prefix, window
    ("ss", "社会保险", "A", "1-6 号窗口"),
    ("yb", "医疗保障", "B", "7-10 号窗口"),
    ("gjj", "住房公积金", "C", "11-14 号窗口"),
    ("bdc", "不动产登记", "D", "31-42 号窗口"),
    ("hz", "户籍办理", "E", "15-18 号窗口"),
    ("general", "综合受理", "Z", "综合受理区 20-28 号窗口"),
)

# Address codes: mostly Changzhou's districts, some from elsewhere (people move).
REGIONS = (
    ("320402", "常州市天宁区", 14), ("320404", "常州市钟楼区", 12), ("320411", "常州市新北区", 14),
    ("320412", "常州市武进区", 16), ("320413", "常州市金坛区", 6), ("320481", "溧阳市", 6),
    ("320102", "南京市玄武区", 2), ("320583", "昆山市", 2), ("321002", "扬州市广陵区", 2),
    ("340104", "合肥市蜀山区", 3), ("342401", "六安市金安区", 3), ("410105", "郑州市金水区", 2),
    ("412721", "扶沟县", 2), ("513030", "渠县", 2), ("430105", "长沙市开福区", 1),
    ("362502", "抚州市临川区", 1),
)
SURNAMES = (
    "王" * 10 + "李" * 10 + "张" * 9 + "刘" * 7 + "陈" * 7 + "杨" * 5 + "黄" * 4 + "赵" * 4
    + "吴" * 4 + "周" * 4 + "徐" * 4 + "孙" * 3 + "朱" * 3 + "胡" * 2 + "郭" * 2 + "何" * 2
    + "高" * 2 + "林" * 2 + "沈" * 2 + "钱" * 2 + "顾" * 2 + "陆" * 2 + "蒋" * 2 + "马罗郑梁谢"
    + "宋唐许韩冯邓曹彭曾肖田董潘袁蔡余叶程魏苏吕丁任卢姚钟姜崔谭范汪廖金夏方邹汤华"
)
RARE_SURNAMES = ("欧阳", "司马", "诸葛", "上官")
MALE_CHARS = "伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宇浩凯健俊帆旭宁龙林洋阳峰建国志文海东博晨昊然轩睿哲"
FEMALE_CHARS = "芳娜敏静丽艳娟霞秀玲英燕萍红琳婷雪倩颖慧佳欣怡梦晶洁璐蕾莉丹萱涵雨思悦彤琪瑶"

EMPLOYER_PLACES = ("常州", "常州", "江苏", "常州市武进区", "常州市新北区", "常州经开区")
EMPLOYER_NAMES = (
    "恒润", "华信", "瑞丰", "金源", "天禾", "新宇", "博远", "东升", "立达", "启航", "同创", "宏业",
    "嘉诚", "正邦", "鼎盛", "永安", "晨光", "汇通", "远航", "锦程", "德润", "明泰", "安捷", "凯越",
)
EMPLOYER_TRADES = (
    "机械制造有限公司", "纺织科技有限公司", "电子科技有限公司", "精密模具有限公司", "物流有限公司",
    "建设工程有限公司", "食品有限公司", "医药有限公司", "软件技术有限公司", "新材料股份有限公司",
    "光伏科技有限公司", "汽车零部件有限公司", "环保科技有限公司", "商贸有限公司",
    "物业管理有限公司", "餐饮管理有限公司",
)
FLEXIBLE = "灵活就业人员（个人缴费）"

HOSPITALS = (
    "常州市第一人民医院", "常州市第二人民医院", "常州市中医医院", "常州市武进人民医院",
    "常州市妇幼保健院", "天宁区茶山街道社区卫生服务中心", "新北区三井街道社区卫生服务中心",
)
PHARMACIES = (
    "老百姓大药房（延陵西路店）", "国药控股常州有限公司零售店", "益丰大药房（龙锦路店）",
    "常州恒泰大药房（勤业路店）", "大参林药店（太湖东路店）",
)
STREETS = {
    "天宁区": ("青洋北路", "竹林北路", "龙锦路", "和平北路"),
    "钟楼区": ("延陵西路", "勤业路", "星港路", "西新桥二路"),
    "新北区": ("太湖东路", "通江中路", "河海中路", "锦绣路"),
    "武进区": ("延政中路", "常武中路", "花园街", "湖塘镇人民中路"),
    "金坛区": ("东门大街", "金沙路"),
}
DISTRICT_CODES = {"天宁区": "320402", "钟楼区": "320404", "新北区": "320411",
                  "武进区": "320412", "金坛区": "320413"}

# Contribution rates (percent of the base), personal and employer, as in Jiangsu.
RATES = {
    "pension": (8.0, 16.0), "medical": (2.0, 7.0), "unemployment": (0.5, 0.5),
    "work_injury": (0.0, 0.4), "maternity": (0.0, 0.8),
}
FLEXIBLE_RATES = {"pension": (20.0, 0.0), "medical": (8.0, 0.0)}


@dataclass
class SeedStats:
    catalog: ImportStats | None
    citizens: int = 0
    contributions: int = 0
    medical_transactions: int = 0
    provident_fund_deposits: int = 0
    registrations: int = 0
    seconds: float = 0.0
    skipped: list[str] = field(default_factory=list)


# --- months ----------------------------------------------------------------------------------


def month_index(d: date) -> int:
    return d.year * 12 + d.month - 1


def month_str(index: int) -> str:
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def _round_fen(yuan_times_100: float) -> int:
    return int(yuan_times_100 + 0.5)


# --- 统一社会信用代码 (GB 32100-2015) --------------------------------------------------------

USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def credit_code(region: str, rng: random.Random) -> str:
    # Organisation code (9 chars) with its own GB 11714 check character.
    body = "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(8))
    w = (3, 7, 9, 10, 5, 8, 4, 2)
    vals = [int(c) if c.isdigit() else ord(c) - 55 for c in body]
    r = 11 - sum(v * k for v, k in zip(vals, w)) % 11
    org = body + ("0" if r == 11 else "X" if r == 10 else str(r))
    first17 = "91" + region + org
    total = sum(USCC_CHARS.index(c) * k for c, k in zip(first17, USCC_WEIGHTS))
    return first17 + USCC_CHARS[(31 - total % 31) % 31]


# --- people ----------------------------------------------------------------------------------


def _name(rng: random.Random, gender: str) -> str:
    surname = rng.choice(RARE_SURNAMES) if rng.random() < 0.02 else rng.choice(SURNAMES)
    chars = MALE_CHARS if gender == "male" else FEMALE_CHARS
    given = rng.choice(chars) + (rng.choice(chars) if rng.random() < 0.65 else "")
    return surname + given


@dataclass
class Person:
    index: int
    id_number: str
    name: str
    gender: str
    born: date
    history_years: int
    property_count: int
    provident_fund: bool
    employed: bool


def make_people(seed: int, count: int) -> list[Person]:
    """The demo citizens first, then `count - 4` random ones; unique ID numbers."""
    rng = random.Random(f"people:{seed}")
    people: list[Person] = []
    seen: set[str] = set()
    for n, c in enumerate(DEMO_CITIZENS[:count]):
        people.append(Person(n, c.id_number, c.name, idnumber.gender(c.id_number), c.born,
                             c.history_years, c.property_count, c.provident_fund, c.employed))
        seen.add(c.id_number)
    codes = [r[0] for r in REGIONS]
    weights = [r[2] for r in REGIONS]
    while len(people) < count:
        region = rng.choices(codes, weights)[0]
        born = date(1966, 1, 1) + timedelta(days=rng.randrange(38 * 365))
        gender = rng.choice(("male", "female"))
        sequence = rng.randrange(500) * 2 + (1 if gender == "male" else 0)
        id_number = idnumber.make(region, born, sequence)
        if id_number in seen:
            continue
        seen.add(id_number)
        roll = rng.random()
        people.append(Person(
            len(people), id_number, _name(rng, gender), gender, born,
            history_years=rng.randint(2, 10),
            property_count=0 if roll < 0.55 else 1 if roll < 0.9 else 2,
            provident_fund=rng.random() < 0.75, employed=rng.random() < 0.82,
        ))
    return people


@dataclass
class Spell:
    employer: str
    first: int  # month index
    last: int
    base: float  # yuan, at the first month


def _spells(p: Person, rng: random.Random, ref: int, employer_names: list[str]) -> list[Spell]:
    """Employment spells ending at the month before `ref` (employed) or earlier."""
    start_age_month = month_index(p.born) + 12 * 20
    first = max(ref - 12 * p.history_years, start_age_month)
    end = ref - 1 if p.employed else ref - rng.randint(3, 20)
    end = max(end, first + 6)
    n = 1 if end - first < 24 else rng.choice((1, 2, 2, 3))
    cuts = (sorted(rng.sample(range(first + 6, end - 5), n - 1))
            if n > 1 and end - first > 24 else [])
    bounds = [first, *cuts, end + 1]
    spells = []
    base = rng.uniform(4600, 14000)
    for i in range(len(bounds) - 1):
        gap = rng.randint(0, 3) if i > 0 else 0
        a, b = bounds[i] + gap, bounds[i + 1] - 1
        if a > b:
            continue
        employer = FLEXIBLE if (i > 0 and rng.random() < 0.12) else rng.choice(employer_names)
        spells.append(Spell(employer, a, b, round(base)))
        base *= rng.uniform(1.05, 1.25)
    if p.provident_fund and all(s.employer == FLEXIBLE for s in spells):
        spells[-1].employer = rng.choice(employer_names)
    return spells


def _base_for(spell: Spell, month: int) -> float:
    """The base is adjusted each July; kept inside the (approximate) legal bounds of the year."""
    years = sum(1 for m in range(spell.first + 1, month + 1) if m % 12 == 6)
    year = month // 12
    lower = 4494 * 1.045 ** (year - 2024)
    upper = lower * 5.3
    return round(min(max(spell.base * 1.04 ** years, lower), upper))


# --- the seed itself -------------------------------------------------------------------------


def seed_database(db: Database, *, seed: int = DEFAULT_SEED, citizens: int = DEFAULT_CITIZENS,
                  catalog: Path | str | None = BUNDLED_CATALOG, catalog_limit: int | None = None,
                  as_of: date | None = None) -> SeedStats:
    t0 = time.perf_counter()
    as_of = as_of or datetime.now(LOCAL_TZ).date()
    stats = SeedStats(catalog=None)
    if catalog is not None:
        stats.catalog = import_catalog(db, catalog, limit=catalog_limit)
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    with db.write() as s:
        _seed_fixed(s, now)
        if s.scalar(select(func.count()).select_from(Citizen)):
            stats.skipped.append("citizens (already seeded)")
        else:
            _seed_people(s, stats, seed, citizens, as_of)
    stats.seconds = time.perf_counter() - t0
    log.info("seeded in %.2f s: %d citizens, %d contributions", stats.seconds, stats.citizens,
             stats.contributions)
    return stats


def seed_fixed(db: Database) -> None:
    """The demo's fixed part alone (queue types, the demo terminal, its enrolment code, the
    hall's staff): idempotent, for a demo database seeded by an older version."""
    with db.write() as s:
        _seed_fixed(s, datetime.now(timezone.utc).replace(tzinfo=None))


def _seed_fixed(s, now: datetime) -> None:
    for n, (code, name, prefix, window) in enumerate(QUEUE_TYPES):
        if s.get(QueueBusinessType, code) is None:
            s.add(QueueBusinessType(code=code, name=name, prefix=prefix, window=window,
                                    sort_order=n))
    demo_terminal = s.get(Terminal, DEMO_TERMINAL_ID)
    if demo_terminal is not None and not demo_terminal.hall:  # enrolled before halls existed
        demo_terminal.hall = DEMO_HALL
    if demo_terminal is None:
        s.add(Terminal(id=DEMO_TERMINAL_ID, place=DEMO_TERMINAL_PLACE, created_at=now,
                       hall=DEMO_HALL, command_seq=1))
        s.flush()
        # Shows the command channel in the demo: the first heartbeat asks for a catalog pull.
        s.add(TerminalCommand(terminal_id=DEMO_TERMINAL_ID, kind="reload_catalog",
                              payload_json="{}", created_at=now))
    digest = enrolment_code_digest(DEMO_ENROLMENT_CODE)
    if s.scalar(select(EnrolmentCode.id).where(EnrolmentCode.code_sha256 == digest)) is None:
        s.add(EnrolmentCode(code_sha256=digest, created_at=now,
                            label="demo: any terminal not yet enrolled, unlimited"))
    for staff_no, name, role, pin in STAFF:
        if s.scalar(select(StaffAccount.id).where(StaffAccount.staff_no == staff_no)) is None:
            upsert_staff(s, staff_no, StaffChange(name=name, role=role, pin=pin, hall=DEMO_HALL),
                         now=now)
    set_badge(s, DEMO_STAFF[0].staff_no, DEMO_BADGE_TOKEN)


def _seed_people(s, stats: SeedStats, seed: int, count: int, as_of: date) -> None:
    ref = month_index(as_of)
    rng = random.Random(f"employers:{seed}")
    employer_names = sorted({f"{rng.choice(EMPLOYER_PLACES)}{n}{t}" for n in EMPLOYER_NAMES
                             for t in rng.sample(EMPLOYER_TRADES, 2)})[:40]
    employer_rows = [dict(name=n, credit_code=credit_code("320400", rng)) for n in employer_names]
    employer_rows.append(dict(name=FLEXIBLE, credit_code=""))
    ids = s.scalars(insert(Employer).returning(Employer.id, sort_by_parameter_order=True),
                    employer_rows).all()
    employer_id = {r["name"]: i for r, i in zip(employer_rows, ids)}

    people = make_people(seed, count)
    citizen_ids = s.scalars(
        insert(Citizen).returning(Citizen.id, sort_by_parameter_order=True),
        [dict(id_number=p.id_number, name=p.name, gender=p.gender, birth_date=p.born,
              ss_region="常州市") for p in people],
    ).all()

    enrolments, contributions, med_accounts, med_tx = [], [], [], []
    pf_accounts, pf_deposits, registrations = [], [], []
    for p, cid in zip(people, citizen_ids):
        prng = random.Random(f"history:{seed}:{p.index}")
        spells = _spells(p, prng, ref, employer_names)
        firsts: dict[str, int] = {}
        lasts: dict[str, int] = {}
        med_credit: dict[int, int] = {}
        for sp in spells:
            rates = FLEXIBLE_RATES if sp.employer == FLEXIBLE else RATES
            for m in range(sp.first, sp.last + 1):
                base = _base_for(sp, m)
                for typ, (pr, er) in rates.items():
                    personal = _round_fen(base * pr)
                    contributions.append(dict(
                        citizen_id=cid, month=month_str(m), type=typ,
                        employer_id=employer_id[sp.employer], base_fen=base * 100,
                        personal_fen=personal, employer_fen=_round_fen(base * er)))
                    firsts.setdefault(typ, m)
                    lasts[typ] = m
                    if typ == "medical":
                        # The personal account receives the personal part plus a little more.
                        med_credit[m] = personal + _round_fen(base * 0.3)
        for typ, first in firsts.items():
            status = "contributing" if lasts[typ] >= ref - 1 else "suspended"
            enrolments.append(dict(citizen_id=cid, type=typ, status=status,
                                   start_month=month_str(first)))
        if med_credit:
            account, txs = _medical(cid, prng, ref, med_credit)
            med_accounts.append(account)
            med_tx += txs
        company = [sp for sp in spells if sp.employer != FLEXIBLE]
        if p.provident_fund and company:
            account, deposits = _provident_fund(cid, prng, ref, company, employer_id)
            pf_accounts.append(account)
            pf_deposits += deposits
        registrations += _registrations(cid, prng, ref, p.property_count)

    for model, rows in ((InsuranceEnrolment, enrolments), (Contribution, contributions),
                        (MedicalAccount, med_accounts), (MedicalTransaction, med_tx),
                        (ProvidentFundAccount, pf_accounts), (ProvidentFundDeposit, pf_deposits),
                        (RealEstateRegistration, registrations)):
        if rows:
            s.execute(insert(model), rows)
    stats.citizens = len(people)
    stats.contributions = len(contributions)
    stats.medical_transactions = len(med_tx)
    stats.provident_fund_deposits = len(pf_deposits)
    stats.registrations = len(registrations)


def _medical(cid: int, rng: random.Random, ref: int, credit: dict[int, int]):
    balance = rng.randrange(20_000, 800_000)
    txs = []
    for m in range(ref - 12, ref):
        year, month = m // 12, m % 12 + 1
        events = []
        if m in credit:
            events.append((datetime(year, month, 15, 2, 0), "credit", credit[m], "常州市医疗保障局",
                           "个人账户划入"))
        for _ in range(rng.choice((0, 0, 1, 1, 2, 3))):
            day = rng.randint(1, 28)
            at = datetime(year, month, day, rng.randint(0, 11), rng.randrange(60))  # UTC
            if rng.random() < 0.6:
                place, what, amount = rng.choice(PHARMACIES), "购药", rng.randrange(850, 32_000)
            else:
                place, what, amount = rng.choice(HOSPITALS), rng.choice(("门诊", "门诊", "住院")), \
                    rng.randrange(2_000, 120_000)
            events.append((at, "spending", amount, place, what))
        for at, kind, amount, place, what in sorted(events):
            if kind == "spending":
                amount = min(amount, balance)
                if amount == 0:
                    continue
                balance -= amount
            else:
                balance += amount
            txs.append(dict(citizen_id=cid, occurred_at=at, kind=kind, amount_fen=amount,
                            balance_after_fen=balance, place=place, description=what))
    account = dict(citizen_id=cid, account_number=f"YB{3204_0000_0000 + cid * 7919:012d}",
                   balance_fen=balance)
    return account, txs


def _provident_fund(cid, rng, ref, spells: list[Spell], employer_id: dict[str, int]):
    rate = rng.choice((5, 8, 10, 12, 12))
    balance = 0
    deposits = []
    base = 0
    for sp in spells:
        for m in range(sp.first, sp.last + 1):
            base = _base_for(sp, m)
            part = _round_fen(base * rate)
            balance += 2 * part
            if m >= ref - 36:
                deposits.append(dict(citizen_id=cid, month=month_str(m), personal_fen=part,
                                     employer_fen=part, balance_after_fen=balance))
    last = spells[-1]
    account = dict(
        citizen_id=cid, account_number=f"GJJ{1040_0000_0000 + cid * 6151:012d}"[:20],
        status="normal" if last.last >= ref - 1 else "sealed",
        employer_id=employer_id[last.employer], base_fen=base * 100,
        personal_rate_percent=rate, employer_rate_percent=rate, balance_fen=balance,
        opened_month=month_str(spells[0].first),
    )
    return account, deposits


def _registrations(cid: int, rng: random.Random, ref: int, count: int) -> list[dict]:
    rows = []
    for n in range(count):
        district = rng.choice(list(STREETS))
        street = rng.choice(STREETS[district])
        building, unit = rng.randint(1, 32), rng.randint(1, 3)
        floor, room = rng.randint(1, 28), rng.randint(1, 4)
        usage = "住宅" if n == 0 or rng.random() < 0.6 else rng.choice(("车库", "商业"))
        area = rng.randint(45_00, 180_00) if usage != "车库" else rng.randint(12_00, 25_00)
        reg_month = rng.randint(ref - 12 * 16, ref - 2)
        registered = date(reg_month // 12, reg_month % 12 + 1, rng.randint(1, 28))
        region = DISTRICT_CODES[district]
        if registered.year >= 2016:
            cert = f"苏({registered.year})常州市不动产权第{rng.randrange(10**7):07d}号"
        else:
            cert = f"常房权证{district[0]}字第{rng.randrange(10**8):08d}号"
        unit_no = (f"{region}{rng.randrange(1, 20):03d}{rng.randrange(1, 40):03d}GB"
                   f"{rng.randrange(1, 99999):05d}F{building:04d}{floor:02d}{room:02d}")
        rows.append(dict(
            citizen_id=cid, certificate_number=cert, unit_number=unit_no,
            location=f"常州市{district}{street}{rng.randint(1, 399)}号{building}幢"
                     + (f"{unit}单元{floor}{room:02d}室" if usage == "住宅" else f"{room}号"),
            usage=usage, area_centi_m2=area,
            right_type="国有建设用地使用权/房屋所有权",
            share=rng.choice(("单独所有", "单独所有", "共同共有", "按份共有")),
            registered_on=registered, mortgaged=usage == "住宅" and rng.random() < 0.4,
            sealed=rng.random() < 0.02,
        ))
    return rows


def summary(stats: SeedStats) -> str:
    lines = []
    if stats.catalog:
        c = stats.catalog
        lines.append(f"catalog {c.version}: {c.items} items, {c.departments} departments, "
                     f"{c.changed} changed rows, {c.deleted} deleted ({c.seconds:.2f} s)")
    lines.append(f"citizens: {stats.citizens}, contributions: {stats.contributions}, "
                 f"medical transactions: {stats.medical_transactions}, provident-fund deposits: "
                 f"{stats.provident_fund_deposits}, "
                 f"real-estate registrations: {stats.registrations}")
    for what in stats.skipped:
        lines.append(f"skipped: {what}")
    lines.append(f"enrolment code: {DEMO_ENROLMENT_CODE} (terminals not yet enrolled); "
                 f"demo terminal: {DEMO_TERMINAL_ID}")
    lines.append("demo citizens: " + "; ".join(f"{c.name} {c.id_number} ({c.story})"
                                               for c in DEMO_CITIZENS))
    lines.append("staff PINs (demo only): " + ", ".join(f"{n} {r} {pin}" for n, _, r, pin in STAFF))
    lines.append(f"done in {stats.seconds:.2f} s")
    return "\n".join(lines)


