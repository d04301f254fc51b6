"""What every demo feature shares: reading data/*.toml into dataclasses, WIB times, demo files, demo people.

``build(Story, row, where)`` is ``Story(**row)`` with the row checked first, so a misspelt, missing or
mistyped key, or a value outside a field's choices, stops the seed with an error that names the file
and the entry. A local date-time in a data file is WIB (Asia/Jakarta); lists become tuples.

A date or time may also be written relative to the day the demo is seeded (``today()``, set by
``seed_demo --today``): ``"-9d"`` is the date nine days before, ``"+14d"`` fourteen days after (a due
date), and ``"-9d 10:30"`` nine days before at 10:30 WIB. The history up to Coaching Clinic 6 keeps its
real dates; what happens since is written this way, so the demo always ends on the day it is seeded.
"""

import dataclasses
import datetime
import hashlib
import re
import struct
import tomllib
import types
import typing
import zlib
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import TextChoices

from regencies.models import Role, UserRole

DATA = Path(__file__).resolve().parent / "data"
WIB = ZoneInfo("Asia/Jakarta")
KALTENG = "62"
REVIEWER = "pokja.kalteng"


class DemoDataError(ValueError):
    """A data file that cannot become the demo: the message names the file and the entry."""


# --- The day the demo is seeded ---------------------------------------------------------------------

# The earliest day the demo can end on: its last fixed date (end of 2025) plus its longest relative
# offset (the 2026 cohort's first report, 230 days back) must still come in order.
EARLIEST_TODAY = datetime.date(2026, 10, 1)
_today: datetime.date | None = None


def today() -> datetime.date:
    """The day the demo ends on: the one ``set_today`` gave, else today in WIB."""
    return _today or datetime.datetime.now(WIB).date()


def set_today(day: datetime.date | None) -> None:
    """Play the demo as if seeded on ``day`` (``None``: the real today, WIB)."""
    global _today
    if day is not None and day < EARLIEST_TODAY:
        raise DemoDataError(f"the demo cannot end before {EARLIEST_TODAY:%Y-%m-%d}: its fixed history runs until then")
    _today = day


RELATIVE = re.compile(r"(?P<sign>[-+])(?P<days>\d{1,4})d(?: (?P<hour>\d{1,2}):(?P<minute>\d{2}))?")


def offset_days(value: Any) -> int | None:
    """The days of a date written relative to the demo's day (``"-45d"`` → -45), None for any other value."""
    match = RELATIVE.fullmatch(value.strip()) if isinstance(value, str) else None
    if match is None or match["hour"] is not None:
        return None
    return int(match["days"]) * (1 if match["sign"] == "+" else -1)


def _relative(value: str, want_time: bool) -> datetime.date | datetime.datetime | None:
    """``"-9d"`` as a date, ``"-9d 10:30"`` as a WIB time, relative to ``today()``; None if it is not one.
    A time is only ever in the past (or today): an event after the demo's day has not happened."""
    match = RELATIVE.fullmatch(value.strip())
    if match is None or (match["hour"] is not None) != want_time:
        return None
    days = int(match["days"]) * (1 if match["sign"] == "+" else -1)
    day = today() + datetime.timedelta(days=days)
    if not want_time:
        return day
    if days > 0 or not (0 <= int(match["hour"]) <= 23 and 0 <= int(match["minute"]) <= 59):
        return None
    return datetime.datetime.combine(day, datetime.time(int(match["hour"]), int(match["minute"])), tzinfo=WIB)


# --- Reading the data files -------------------------------------------------------------------------


def read(name: str, *sections: str) -> dict[str, Any]:
    """The TOML file ``data/<name>``; with ``sections``, it must have exactly those top-level keys."""
    try:
        with (DATA / name).open("rb") as source:
            document = tomllib.load(source)
    except tomllib.TOMLDecodeError as error:
        raise DemoDataError(f"{name}: {error}") from error
    if sections:
        unknown = sorted(set(document) - set(sections))
        missing = [section for section in sections if section not in document]
        if unknown or missing:
            raise DemoDataError(
                f"{name}: {_keys_problem(unknown, missing)}; the file has the sections {', '.join(sections)}"
            )
    return document


def data_files(pattern: str) -> list[str]:
    """The names of the data files matching ``pattern``, in order (the order the demo plays them)."""
    names = sorted(path.name for path in DATA.glob(pattern))
    if not names:
        raise DemoDataError(f"no data file matches {pattern} in {DATA}")
    return names


def tables(value: Any, where: str) -> list[dict[str, Any]]:
    """An array of tables (``[[name]]`` in TOML), or an error naming where it was expected."""
    if not isinstance(value, list) or not all(isinstance(row, dict) for row in value):
        raise DemoDataError(f"{where}: expected a list of entries ([[...]] tables)")
    return value


def choices(enum: type[TextChoices]) -> dict[str, type[TextChoices]]:
    """Field metadata: the value (or each item, or each key of a table) must be one of ``enum``'s values."""
    return {"choices": enum}


def build[T](cls: type[T], row: dict[str, Any], where: str, **nested: Any) -> T:
    """``cls(**row)`` for a dataclass, checked key by key; ``nested`` gives fields already built."""
    if not isinstance(row, dict):
        raise DemoDataError(f"{where}: expected an entry (a table), found {row!r}")
    fields = {field.name: field for field in dataclasses.fields(cls)}
    given = {**row, **nested}
    unknown = sorted(set(given) - set(fields))
    missing = [
        name
        for name, field in fields.items()
        if name not in given and field.default is dataclasses.MISSING and field.default_factory is dataclasses.MISSING
    ]
    if unknown or missing:
        raise DemoDataError(f"{where}: {_keys_problem(unknown, missing)}; {cls.__name__} takes {', '.join(fields)}")
    hints = typing.get_type_hints(cls)
    values = {}
    for name, value in given.items():
        value = value if name in nested else _coerce(value, hints[name])
        if not _matches(value, hints[name]):
            raise DemoDataError(f"{where}: {name} = {value!r} is not {_describe(hints[name])}")
        enum = fields[name].metadata.get("choices")
        if enum is not None and name not in nested:
            _check_choices(value, enum, fields[name].default, f"{where}: {name}")
        values[name] = value
    try:
        return cls(**values)
    except (TypeError, ValueError) as error:
        raise DemoDataError(f"{where}: {error}") from error


def _keys_problem(unknown: list[str], missing: list[str]) -> str:
    problems = []
    if unknown:
        problems.append(f"unknown key{'s' if len(unknown) > 1 else ''} {', '.join(map(repr, unknown))}")
    if missing:
        problems.append(f"missing key{'s' if len(missing) > 1 else ''} {', '.join(map(repr, missing))}")
    return " and ".join(problems)


def _coerce(value: Any, hint: Any) -> Any:
    """TOML's values as the dataclass wants them: tuples, WIB times, Decimals, years as table keys."""
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (types.UnionType, typing.Union):
        for arg in args:
            if arg is not type(None) and (coerced := _coerce(value, arg)) is not value:
                return coerced
        return value
    if origin is tuple and isinstance(value, list):
        return tuple(_coerce(item, args[0]) for item in value)
    if origin is dict and isinstance(value, dict):
        key_type, value_type = args
        return {
            (int(key) if key_type is int and isinstance(key, str) and key.isdigit() else key): _coerce(item, value_type)
            for key, item in value.items()
        }
    if hint is datetime.datetime and isinstance(value, datetime.datetime) and value.tzinfo is None:
        return value.replace(tzinfo=WIB)
    if hint in (datetime.date, datetime.datetime) and isinstance(value, str):
        relative = _relative(value, want_time=hint is datetime.datetime)
        return value if relative is None else relative
    if hint is Decimal and isinstance(value, (int, float)) and not isinstance(value, bool):
        return Decimal(str(value))
    return value


def _matches(value: Any, hint: Any) -> bool:
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (types.UnionType, typing.Union):
        return any(_matches(value, arg) for arg in args)
    if origin is tuple:
        return isinstance(value, tuple) and all(_matches(item, args[0]) for item in value)
    if origin is dict:
        return isinstance(value, dict) and all(
            _matches(key, args[0]) and _matches(item, args[1]) for key, item in value.items()
        )
    if hint is type(None):
        return value is None
    if hint is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if hint is datetime.date:
        return isinstance(value, datetime.date) and not isinstance(value, datetime.datetime)
    if isinstance(hint, type):
        return isinstance(value, hint)
    return True


def _describe(hint: Any) -> str:
    names = {
        str: "a text",
        int: "a whole number",
        bool: "true or false",
        Decimal: "a number",
        datetime.date: 'a date (2023-06-23, or "-9d" for nine days before the demo\'s day)',
        datetime.datetime: 'a date and time (2023-06-23 09:30:00, or "-9d 10:30" for nine days before at 10:30)',
    }
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (types.UnionType, typing.Union):
        return " or ".join(_describe(arg) for arg in args if arg is not type(None))
    if origin is tuple:
        return f"a list of {_describe(args[0]).removeprefix('a ')}s"
    if origin is dict:
        return "a table"
    return names.get(hint, getattr(hint, "__name__", str(hint)))


def _check_choices(value: Any, enum: type[TextChoices], default: Any, where: str) -> None:
    if isinstance(value, dict):
        items = list(value)
    elif isinstance(value, tuple):
        items = list(value)
    else:
        items = [] if value == default else [value]
    wrong = [item for item in items if item not in enum.values]
    if wrong:
        raise DemoDataError(f"{where}: {', '.join(map(repr, wrong))} is not one of {', '.join(enum.values)}")


# --- Demo people --------------------------------------------------------------------------------------


def provincial_reviewer():
    """Kalimantan Tengah's Pokja user who reviews in the demo (regencies.demo makes it)."""
    roles = UserRole.objects.select_related("user").filter(role=Role.PROVINCIAL_STAFF, province_id=KALTENG)
    role = roles.filter(user__username=REVIEWER).first() or roles.order_by("user__username").first()
    if role is None:
        raise RuntimeError("The demo needs Kalimantan Tengah's demo Pokja user: run the user seed first.")
    return role.user


def regency_officer(code: str, fallback):
    """The regency's officer (the first by username), or ``fallback`` when it has none."""
    role = (
        UserRole.objects.select_related("user")
        .filter(role=Role.REGENCY_OFFICER, regency_id=code)
        .order_by("user__username")
        .first()
    )
    return role.user if role else fallback


# --- Generated demo files -----------------------------------------------------------------------------


def demo_pdf(lines: list[str]) -> bytes:
    """A valid one-page A4 PDF showing ``lines`` in Helvetica (text outside WinAnsi becomes '?')."""

    def literal(text: str) -> bytes:
        raw = text.encode("cp1252", errors="replace")
        return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"

    content = b"BT /F1 12 Tf 16 TL 72 770 Td\n" + b"".join(literal(line) + b" Tj T*\n" for line in lines) + b"ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> "
        b"/Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
    ]
    pdf = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(pdf))
        pdf += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(pdf)
    pdf += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    pdf += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    pdf += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(pdf)


def demo_png(seed: str, width: int = 160, height: int = 120) -> bytes:
    """A valid RGB PNG placeholder photo (sky, ground and a truck-coloured block placed by ``seed``)."""
    digest = hashlib.sha256(seed.encode()).digest()
    left = 20 + digest[0] % (width - 70)
    block = (digest[1] | 0x80, digest[2] // 2, digest[3] // 2)
    rows = bytearray()
    for y in range(height):
        ground = y >= height // 2
        colour = bytes((60, 140 - (y - height // 2), 60) if ground else (120 + y, 170 + y // 2, 235))
        rows.append(0)  # filter type: none
        if 60 <= y < 95:
            rows += colour * left + bytes(block) * 50 + colour * (width - left - 50)
        else:
            rows += colour * width

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB
    image = zlib.compress(bytes(rows))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", image) + chunk(b"IEND", b"")
