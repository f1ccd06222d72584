#!/usr/bin/env bash
# make.sh — regenerates the sample images of this folder (see README.md).
# Needs, at development time only: imagemagick, libjpeg-turbo-progs,
# libimage-exiftool-perl, python3-pil. The generated files are committed;
# the tests never run this script.
set -euo pipefail
cd "$(dirname "$0")"
PY=/usr/bin/python3
IM=/usr/bin/convert
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The pictures, as PAM files (exact samples, no encoder choices):
# quad: 16x12, quadrants red | green over blue | white; alpha 255 | 0 over
# 128 | 255 for the variants with alpha. gray levels 0 | 85 over 170 | 255
# (exact in 2, 4, 8 and 16 bits). photo: 48x32, the same quadrants (MCU
# aligned so jpegtran can transform it losslessly).
$PY - "$tmp" <<'PYEOF'
import sys
out = sys.argv[1]
def pam(name, w, h, depth, maxval, tupl, px):
    with open(f"{out}/{name}.pam", "wb") as f:
        f.write(f"P7\nWIDTH {w}\nHEIGHT {h}\nDEPTH {depth}\nMAXVAL {maxval}\nTUPLTYPE {tupl}\nENDHDR\n".encode())
        nb = 2 if maxval > 255 else 1
        for y in range(h):
            for x in range(w):
                for v in px(x, y):
                    f.write(v.to_bytes(nb, "big"))
def quad(w, h, tl, tr, bl, br):
    return lambda x, y: (tl if x < w // 2 else tr) if y < h // 2 else (bl if x < w // 2 else br)
pam("rgb8", 16, 12, 3, 255, "RGB", quad(16, 12, (255, 0, 0), (0, 255, 0), (0, 0, 255), (255, 255, 255)))
pam("rgba8", 16, 12, 4, 255, "RGB_ALPHA", quad(16, 12, (255, 0, 0, 255), (0, 255, 0, 0), (0, 0, 255, 128), (255, 255, 255, 255)))
# 16-bit: one sample (1000) that no 8-bit value scales to, to see 16 bits kept.
pam("rgb16", 16, 12, 3, 65535, "RGB", quad(16, 12, (65535, 0, 1000), (0, 65535, 0), (0, 0, 65535), (65535, 65535, 65535)))
pam("rgba16", 16, 12, 4, 65535, "RGB_ALPHA", quad(16, 12, (65535, 0, 1000, 65535), (0, 65535, 0, 0), (0, 0, 65535, 32768), (65535, 65535, 65535, 65535)))
pam("gray8", 16, 12, 1, 255, "GRAYSCALE", quad(16, 12, (0,), (85,), (170,), (255,)))
pam("gray1", 16, 12, 1, 255, "GRAYSCALE", quad(16, 12, (0,), (255,), (255,), (0,)))
pam("gray16", 16, 12, 1, 65535, "GRAYSCALE", quad(16, 12, (0,), (1000,), (43690,), (65535,)))
pam("graya8", 16, 12, 2, 255, "GRAYSCALE_ALPHA", quad(16, 12, (0, 255), (85, 0), (170, 128), (255, 255)))
pam("photo", 48, 32, 3, 255, "RGB", quad(48, 32, (255, 0, 0), (0, 255, 0), (0, 0, 255), (255, 255, 255)))
# What `render --width-mm 16 --pixel-mm 2` must give for quad (8x6 cells of
# 2x2 pixels, one quadrant each): alpha 0 -> 0,0,0,0; alpha 128 -> opaque.
pam("expect_rgba", 8, 6, 4, 255, "RGB_ALPHA", quad(8, 6, (255, 0, 0, 255), (0, 0, 0, 0), (0, 0, 255, 255), (255, 255, 255, 255)))
pam("expect_gray", 8, 6, 4, 255, "RGB_ALPHA", quad(8, 6, (0, 0, 0, 255), (85, 85, 85, 255), (170, 170, 170, 255), (255, 255, 255, 255)))
PYEOF

png() { # SOURCE OUT COLOR-TYPE BIT-DEPTH [EXTRA...]
    local src=$1 out=$2 ct=$3 bd=$4
    shift 4
    $IM "$tmp/$src.pam" -strip "$@" -define png:color-type="$ct" -define png:bit-depth="$bd" \
        -define png:exclude-chunks=date,time "$out"
}
png gray1 png_gray1.png 0 1
png gray8 png_gray2.png 0 2
png gray8 png_gray4.png 0 4
png gray8 png_gray8.png 0 8 -density 300 -units PixelsPerInch -define png:include-chunk=pHYs
png gray16 png_gray16.png 0 16
png graya8 png_gray_alpha8.png 4 8
png rgb8 png_rgb8.png 2 8
png rgb16 png_rgb16.png 2 16
png rgba8 png_rgba8.png 6 8
png rgba16 png_rgba16.png 6 16
png rgba8 png_adam7.png 6 8 -interlace PNG
png expect_rgba expected_render_rgba.png 6 8
png expect_gray expected_render_gray.png 6 8
# Palette with a tRNS chunk holding 255, 0, 128, 255.
$PY - png_rgba8.png png_palette_trns.png <<'PYEOF'
import sys
from PIL import Image
src = Image.open(sys.argv[1]).convert("RGBA")
pal = [(255, 0, 0, 255), (0, 255, 0, 0), (0, 0, 255, 128), (255, 255, 255, 255)]
im = Image.new("P", src.size)
im.putpalette([c for p in pal for c in p[:3]])
im.putdata([pal.index(p) for p in src.getdata()])
im.save(sys.argv[2], transparency=bytes(p[3] for p in pal), optimize=False)
PYEOF

# JPEG: baseline (with JFIF 300 dpi), progressive, arithmetic, grayscale,
# CMYK as Pillow writes it (Adobe marker, transform 0, inverted samples)
# and YCCK as ImageMagick writes it (Adobe transform 2).
$IM "$tmp/photo.pam" "$tmp/photo.ppm"
$IM "$tmp/photo.pam" -strip -quality 92 -density 300 -units PixelsPerInch jpeg_baseline.jpg
cjpeg -quality 92 -progressive "$tmp/photo.ppm" >jpeg_progressive.jpg
cjpeg -quality 92 -arithmetic "$tmp/photo.ppm" >jpeg_arithmetic.jpg
cjpeg -quality 92 -grayscale "$tmp/photo.ppm" >jpeg_gray.jpg
$PY -c "from PIL import Image; Image.open('$tmp/photo.ppm').convert('CMYK').save('jpeg_cmyk.jpg', quality=92)"
$IM "$tmp/photo.pam" -strip -colorspace CMYK -quality 92 jpeg_ycck.jpg

# EXIF orientation k: the upright picture stored transformed by the inverse
# of k (jpegtran, lossless), with Orientation = k. 6 and 8 also written
# little-endian (II), the rest big-endian (MM).
cjpeg -quality 92 "$tmp/photo.ppm" >jpeg_upright.jpg
inverse=("" "" "-flip horizontal" "-rotate 180" "-flip vertical" "-transpose" "-rotate 270" "-transverse" "-rotate 90")
for k in 1 2 3 4 5 6 7 8; do
    # shellcheck disable=SC2086
    jpegtran -perfect -copy none ${inverse[$k]} jpeg_upright.jpg >"exif_orientation$k.jpg"
    order=MM
    [ "$k" = 6 ] || [ "$k" = 8 ] && order=II
    exiftool -q -overwrite_original -n -ExifByteOrder=$order -Orientation=$k "exif_orientation$k.jpg"
done

# Damaged files.
size=$(stat -c %s png_rgb8.png)
head -c $((size / 2)) png_rgb8.png >bad_png_truncated.png
$PY - <<'PYEOF'
import struct, zlib
data = bytearray(open("png_rgb8.png", "rb").read())
i = data.index(b"IDAT")
data[i + 10] ^= 0xFF  # a damaged byte inside the compressed data
open("bad_png_damaged.png", "wb").write(data)
# A well-formed IDAT whose zlib stream is garbage.
def chunk(kind, body):
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
ihdr = chunk(b"IHDR", struct.pack(">IIBBBBB", 16, 12, 8, 2, 0, 0, 0))
sig = b"\x89PNG\r\n\x1a\n"
open("bad_png_zlib.png", "wb").write(sig + ihdr + chunk(b"IDAT", b"\x78\x9c" + bytes(range(7, 60))) + chunk(b"IEND", b""))
# A header declaring 100000 x 100000 pixels, and a tiny image stream.
ihdr = chunk(b"IHDR", struct.pack(">IIBBBBB", 100000, 100000, 8, 2, 0, 0, 0))
open("bad_png_huge.png", "wb").write(sig + ihdr + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b""))
# JPEG: a SOF declaring 60000 x 60000 pixels.
jpg = bytearray(open("jpeg_upright.jpg", "rb").read())
s = jpg.index(b"\xff\xc0")
jpg[s + 5:s + 9] = struct.pack(">HH", 60000, 60000)
open("bad_jpeg_huge.jpg", "wb").write(jpg)
# JPEG: a Huffman table with an impossible code count.
jpg = bytearray(open("jpeg_upright.jpg", "rb").read())
s = jpg.index(b"\xff\xc4")
jpg[s + 5:s + 21] = b"\xff" * 16
open("bad_jpeg_huffman.jpg", "wb").write(jpg)
PYEOF
size=$(stat -c %s jpeg_upright.jpg)
head -c $((size * 2 / 3)) jpeg_upright.jpg >bad_jpeg_truncated.jpg
size=$(stat -c %s jpeg_progressive.jpg)
head -c $((size / 2)) jpeg_progressive.jpg >bad_jpeg_progressive_truncated.jpg
printf 'this is not an image\n' >bad_not_image.png
: >bad_empty.jpg
