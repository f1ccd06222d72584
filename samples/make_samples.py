#!/usr/bin/env python3
"""make_samples.py — draws the project's sample artwork (standard library only).

  sunset.png   300x200 RGB: a landscape at sunset (gradients, soft edges, flat areas)
  mushroom.png 16x16 RGBA pixel art with a transparent background (crisp enlargement)
  badge.png    240x240 RGBA: a round badge with an anti-aliased transparent edge

Run from anywhere: python3 samples/make_samples.py. The output is deterministic.
"""
import math
import os
import struct
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))


def write_png(path, width, height, rows, alpha):
    """rows: list of lists of (r, g, b[, a]) tuples, 8-bit."""
    ctype = 6 if alpha else 2
    raw = bytearray()
    for row in rows:
        raw.append(0)
        for px in row:
            raw.extend(px[:4] if alpha else px[:3])

    def chunk(kind, data):
        c = kind + data
        return struct.pack(">I", len(data)) + c + struct.pack(">I", zlib.crc32(c) & 0xFFFFFFFF)

    png = b"\x89PNG\r\n\x1a\n"
    png += chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, ctype, 0, 0, 0))
    png += chunk(b"IDAT", zlib.compress(bytes(raw), 9))
    png += chunk(b"IEND", b"")
    with open(path, "wb") as f:
        f.write(png)


def mix(a, b, t):
    t = max(0.0, min(1.0, t))
    return tuple(a[i] + (b[i] - a[i]) * t for i in range(3))


def sunset_color(x, y, w, h):
    """Color of the continuous scene at (x, y), y down, in 0..1 units of h."""
    u, v = x / w, y / h
    horizon = 0.62
    sun = (0.68, 0.36, 0.10)
    if v < horizon:
        sky = mix((40, 60, 150), (250, 150, 70), (v / horizon) ** 1.6)
        d = math.hypot(u * w / h - sun[0] * w / h, v - sun[1])
        if d < sun[2]:
            sky = (255, 225, 110)
        elif d < sun[2] * 2.2:
            sky = mix((255, 200, 100), sky, (d - sun[2]) / (sun[2] * 1.2))
        # two mountain ranges
        far = 0.45 + 0.06 * math.sin(u * 7.0) + 0.03 * math.sin(u * 17.0 + 1.0)
        near = 0.53 + 0.05 * math.sin(u * 5.0 + 2.0) + 0.02 * math.sin(u * 23.0)
        if v > near:
            return mix((60, 40, 80), (35, 25, 55), (v - near) / 0.1)
        if v > far:
            return (110, 70, 120)
        return sky
    # lake with a rippled reflection of the sun
    depth = (v - horizon) / (1 - horizon)
    water = mix((200, 110, 80), (20, 40, 90), depth ** 0.7)
    ripple = math.sin(v * 180.0) * 0.5 + 0.5
    if abs(u - sun[0]) < 0.05 * (1 - depth) + 0.01 and ripple > 0.45:
        water = mix(water, (255, 210, 120), 0.8 - depth)
    # a dark shore at the bottom left
    if v > 0.88 - 0.25 * max(0.0, 0.3 - u):
        water = (25, 45, 30)
    return water


def draw_sunset():
    w, h, ss = 300, 200, 3
    rows = []
    for y in range(h):
        row = []
        for x in range(w):
            acc = [0.0, 0.0, 0.0]
            for sy in range(ss):
                for sx in range(ss):
                    c = sunset_color(x + (sx + 0.5) / ss, y + (sy + 0.5) / ss, w, h)
                    for i in range(3):
                        acc[i] += c[i]
            row.append(tuple(int(round(a / ss / ss)) for a in acc))
        rows.append(row)
    write_png(os.path.join(HERE, "sunset.png"), w, h, rows, False)


MUSHROOM = [
    "................",
    ".....KKKKKK.....",
    "...KKRRRRWWKK...",
    "..KWWRRRRWWWWK..",
    ".KWWRRRRRRWWWWK.",
    ".KWRRWWWWRRWWWK.",
    "KRRRWWWWWWRRRRRK",
    "KRRRWWWWWWRRRWWK",
    "KWRRWWWWWWRRWWWK",
    "KWWRRWWWWRRRRWWK",
    ".KKKKKKKKKKKKKK.",
    "...KWWKWWKWWK...",
    "...KWWKWWKWWK...",
    "...KWWWWWWWWK...",
    "....KKKKKKKK....",
    "................",
]


def draw_mushroom():
    pal = {".": (0, 0, 0, 0), "K": (20, 20, 20, 255), "R": (220, 30, 40, 255),
           "W": (250, 245, 235, 255)}
    rows = [[pal[c] for c in line] for line in MUSHROOM]
    write_png(os.path.join(HERE, "mushroom.png"), 16, 16, rows, True)


def draw_badge():
    n, ss = 240, 4
    rows = []
    c = n / 2
    for y in range(n):
        row = []
        for x in range(n):
            cover = 0
            acc = [0.0, 0.0, 0.0]
            for sy in range(ss):
                for sx in range(ss):
                    px, py = x + (sx + 0.5) / ss - c, y + (sy + 0.5) / ss - c
                    r = math.hypot(px, py)
                    if r > 115:
                        continue
                    cover += 1
                    ang = math.atan2(py, px)
                    if r > 100:
                        col = (30, 60, 130)
                    elif abs(px) + abs(py) < 55:
                        col = (250, 200, 40)
                    else:
                        col = mix((0, 160, 200), (220, 40, 120), (ang + math.pi) / (2 * math.pi))
                    for i in range(3):
                        acc[i] += col[i]
            if cover:
                row.append(tuple(int(round(a / cover)) for a in acc) +
                           (int(round(255 * cover / ss / ss)),))
            else:
                row.append((0, 0, 0, 0))
        rows.append(row)
    write_png(os.path.join(HERE, "badge.png"), n, n, rows, True)


if __name__ == "__main__":
    draw_sunset()
    draw_mushroom()
    draw_badge()
