"""Draws the app icons (static/img/*.png, favicon.ico) from the shapes of static/img/icon.svg, with the standard
library only: a green rounded square, a white drop of water, a green tick in it. Run it after changing the SVG's
shapes here too: ``.venv/bin/python scripts/make_icons.py``."""

import math
import struct
import zlib
from pathlib import Path

GREEN = (20, 108, 67)  # #146c43, the navigation bar's green
WHITE = (255, 255, 255)
BOX = 512.0  # the SVG's viewBox
CORNER = 96.0
DROP_CENTRE, DROP_RADIUS, DROP_TIP = (256.0, 300.0), 150.0, (256.0, 56.0)
TICK = ((184.0, 306.0), (236.0, 358.0), (330.0, 252.0))
TICK_HALF_WIDTH = 20.0
SAMPLES = 4  # per axis, per pixel: anti-aliasing
OUT = Path(__file__).resolve().parent.parent / "static" / "img"


def _tangent_points() -> tuple[tuple[float, float], tuple[float, float]]:
    cx, cy = DROP_CENTRE
    distance = cy - DROP_TIP[1]
    angle = math.acos(DROP_RADIUS / distance)
    dx, dy = DROP_RADIUS * math.sin(angle), DROP_RADIUS * math.cos(angle)
    return (cx - dx, cy - dy), (cx + dx, cy - dy)


LEFT, RIGHT = _tangent_points()


def _in_rounded_square(x: float, y: float, corner: float) -> bool:
    qx = max(corner - x, 0.0, x - (BOX - corner))
    qy = max(corner - y, 0.0, y - (BOX - corner))
    return qx * qx + qy * qy <= corner * corner and 0 <= x <= BOX and 0 <= y <= BOX


def _cross(o: tuple[float, float], a: tuple[float, float], b: tuple[float, float]) -> float:
    return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])


def _in_drop(x: float, y: float) -> bool:
    cx, cy = DROP_CENTRE
    if (x - cx) ** 2 + (y - cy) ** 2 <= DROP_RADIUS**2:
        return True
    p = (x, y)
    signs = (_cross(DROP_TIP, LEFT, p), _cross(LEFT, RIGHT, p), _cross(RIGHT, DROP_TIP, p))
    return all(s <= 0 for s in signs) or all(s >= 0 for s in signs)


def _near_segment(x: float, y: float, a: tuple[float, float], b: tuple[float, float]) -> bool:
    ax, ay = a
    bx, by = b
    length2 = (bx - ax) ** 2 + (by - ay) ** 2
    t = max(0.0, min(1.0, ((x - ax) * (bx - ax) + (y - ay) * (by - ay)) / length2))
    px, py = ax + t * (bx - ax), ay + t * (by - ay)
    return (x - px) ** 2 + (y - py) ** 2 <= TICK_HALF_WIDTH**2


def _colour(x: float, y: float, corner: float) -> tuple[int, int, int, int]:
    if not _in_rounded_square(x, y, corner):
        return (0, 0, 0, 0)
    if _in_drop(x, y) and not (_near_segment(x, y, TICK[0], TICK[1]) or _near_segment(x, y, TICK[1], TICK[2])):
        return (*WHITE, 255)
    return (*GREEN, 255)


def render(size: int, corner: float = CORNER) -> bytes:
    """An RGBA PNG of the icon, ``size`` pixels square (``corner`` 0: square, for iOS, which rounds it itself)."""
    scale = BOX / size
    rows = bytearray()
    for py in range(size):
        rows.append(0)  # filter type: none
        for px in range(size):
            total = [0, 0, 0, 0]
            for sy in range(SAMPLES):
                for sx in range(SAMPLES):
                    x, y = (px + (sx + 0.5) / SAMPLES) * scale, (py + (sy + 0.5) / SAMPLES) * scale
                    r, g, b, a = _colour(x, y, corner)
                    total[0] += r * a
                    total[1] += g * a
                    total[2] += b * a
                    total[3] += a
            alpha = total[3]
            if alpha:
                rows += bytes((round(total[0] / alpha), round(total[1] / alpha), round(total[2] / alpha)))
            else:
                rows += b"\x00\x00\x00"
            rows.append(round(alpha / SAMPLES**2))
    return _png(size, size, bytes(rows))


def _png(width: int, height: int, rows: bytes) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b"")


def ico(png: bytes, size: int) -> bytes:
    """A .ico holding one PNG image (every browser reads PNG inside ICO)."""
    header = struct.pack("<HHH", 0, 1, 1)
    entry = struct.pack("<BBBBHHII", size % 256, size % 256, 0, 0, 1, 32, len(png), 6 + 16)
    return header + entry + png


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    icons = ((32, "favicon-32.png"), (180, "apple-touch-icon.png"), (192, "icon-192.png"), (512, "icon-512.png"))
    for size, name in icons:
        data = render(size, 0.0 if name == "apple-touch-icon.png" else CORNER)
        (OUT / name).write_bytes(data)
        if size == 32:
            (OUT / "favicon.ico").write_bytes(ico(data, size))
        print(name, len(data), "bytes")


if __name__ == "__main__":
    main()
