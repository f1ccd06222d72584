#!/usr/bin/env python3
"""pixels.py — an independent PNG/PNM reader for the scan tests (zlib only).

  pixels.py compare A B [--dpi N] [--crop-b W]
      A and B (PNG, or PNM P4/P5/P6) hold the same pixels: same size, channels
      and sample values (P4: 1 is black, read as 8-bit 0, and 0 as 255).
      --dpi N: A is a PNG whose pHYs says N dots per inch.
      --crop-b W: compare with the left W columns of B only.
  pixels.py pgm IN.ppm OUT.pgm          the green channel of a P6 as a P5
  pixels.py pbm IN.ppm OUT.pbm WIDTH    a threshold of the green channel, WIDTH
                                        columns wide, as a P4 (1 is black)
Exits 0 when the check holds, 1 with one line on stdout saying why not.
"""
import struct
import sys
import zlib


class Image:
    def __init__(self, width, height, channels, bits, samples, dpi=None):
        self.width, self.height = width, height
        self.channels, self.bits = channels, bits
        self.samples = samples  # list of rows, each a list of ints
        self.dpi = dpi


def paeth(a, b, c):
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    if pa <= pb and pa <= pc:
        return a
    return b if pb <= pc else c


def read_png(path):
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        sys.exit(f"{path}: not a PNG")
    pos, idat, ppm = 8, b"", None
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        kind = data[pos + 4:pos + 8]
        body = data[pos + 8:pos + 8 + length]
        if zlib.crc32(kind + body) != struct.unpack(">I", data[pos + 8 + length:pos + 12 + length])[0]:
            sys.exit(f"{path}: bad CRC in {kind!r}")
        if kind == b"IHDR":
            w, h, bits, ctype, _, _, interlace = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        elif kind == b"pHYs":
            px, py, unit = struct.unpack(">IIB", body)
            if unit == 1 and px == py:
                ppm = px
        pos += 12 + length
    if interlace or bits not in (8, 16) or ctype not in (0, 2):
        sys.exit(f"{path}: unexpected PNG format (bits {bits}, color type {ctype})")
    ch = 3 if ctype == 2 else 1
    bpp = ch * bits // 8
    stride = w * bpp
    raw = zlib.decompress(idat)
    rows, prev = [], bytearray(stride)
    for y in range(h):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                line[i] = (line[i] + paeth(a, b, c)) & 255
        prev = line
        if bits == 16:
            rows.append([line[i] << 8 | line[i + 1] for i in range(0, stride, 2)])
        else:
            rows.append(list(line))
    return Image(w, h, ch, bits, rows, ppm)


def pnm_tokens(data, count):
    """The first count header tokens and the offset of the pixel data."""
    tokens, pos = [], 0
    while len(tokens) < count:
        while data[pos:pos + 1].isspace():
            pos += 1
        if data[pos:pos + 1] == b"#":
            pos = data.index(b"\n", pos) + 1
            continue
        start = pos
        while not data[pos:pos + 1].isspace():
            pos += 1
        tokens.append(data[start:pos].decode())
    return tokens, pos + 1


def read_pnm(path):
    data = open(path, "rb").read()
    magic = data[:2]
    if magic == b"P4":
        (_, w, h), pos = pnm_tokens(data, 3)
        w, h = int(w), int(h)
        bpl = (w + 7) // 8
        rows = []
        for y in range(h):
            line = data[pos + y * bpl:pos + (y + 1) * bpl]
            rows.append([0 if line[x >> 3] >> (7 - (x & 7)) & 1 else 255 for x in range(w)])
        return Image(w, h, 1, 8, rows)
    if magic not in (b"P5", b"P6"):
        sys.exit(f"{path}: not a PNM (P4, P5, P6)")
    (_, w, h, maxval), pos = pnm_tokens(data, 4)
    w, h, maxval = int(w), int(h), int(maxval)
    ch = 3 if magic == b"P6" else 1
    bits = 16 if maxval > 255 else 8
    n = w * ch
    rows = []
    for y in range(h):
        if bits == 16:
            line = data[pos + y * n * 2:pos + (y + 1) * n * 2]
            rows.append([line[i] << 8 | line[i + 1] for i in range(0, 2 * n, 2)])
        else:
            rows.append(list(data[pos + y * n:pos + (y + 1) * n]))
    if any(len(r) != n for r in rows):
        sys.exit(f"{path}: truncated PNM")
    return Image(w, h, ch, bits, rows)


def read_any(path):
    with open(path, "rb") as f:
        head = f.read(2)
    return read_png(path) if head == b"\x89P" else read_pnm(path)


def fail(msg):
    print(msg)
    sys.exit(1)


def compare(args):
    a, b = read_any(args[0]), read_any(args[1])
    dpi, crop = None, None
    rest = args[2:]
    while rest:
        if rest[0] == "--dpi":
            dpi = float(rest[1])
        elif rest[0] == "--crop-b":
            crop = int(rest[1])
        else:
            sys.exit(f"unknown argument {rest[0]}")
        rest = rest[2:]
    if crop is not None:
        b.rows = [r[:crop * b.channels] for r in b.samples]
        b.samples, b.width = b.rows, crop
    got = (a.width, a.height, a.channels, a.bits)
    want = (b.width, b.height, b.channels, b.bits)
    if got != want:
        fail(f"{args[0]} is {got} (width, height, channels, bits), {args[1]} is {want}")
    for y in range(a.height):
        if a.samples[y] != b.samples[y]:
            x = next(i for i in range(len(a.samples[y])) if a.samples[y][i] != b.samples[y][i])
            fail(f"sample {x} of row {y} differs: {a.samples[y][x]} in {args[0]}, "
                 f"{b.samples[y][x]} in {args[1]}")
    if dpi is not None:
        want_ppm = round(dpi / 0.0254)
        if a.dpi != want_ppm:
            fail(f"{args[0]}: pHYs is {a.dpi} pixels per metre, expected {want_ppm} ({dpi} dpi)")
    print(f"same pixels: {a.width}x{a.height}, {a.channels} channel(s), {a.bits} bits")


def make_pgm(src, dst):
    img = read_pnm(src)
    with open(dst, "wb") as f:
        f.write(b"P5\n%d %d\n255\n" % (img.width, img.height))
        for row in img.samples:
            f.write(bytes(row[1::3]))


def make_pbm(src, dst, width):
    img = read_pnm(src)
    with open(dst, "wb") as f:
        f.write(b"P4\n%d %d\n" % (width, img.height))
        for row in img.samples:
            bits = bytearray((width + 7) // 8)
            for x in range(width):
                if row[3 * x + 1] < 128:  # dark: a 1 bit, black
                    bits[x >> 3] |= 0x80 >> (x & 7)
            f.write(bytes(bits))


def main():
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "compare":
        compare(args)
    elif cmd == "pgm":
        make_pgm(args[0], args[1])
    elif cmd == "pbm":
        make_pbm(args[0], args[1], int(args[2]))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
