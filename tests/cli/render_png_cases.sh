# Every PNG case renders; the 8x6 grid (2x2 pixels a cell, one quadrant
# each) matches the hand-made expectation, and variants of one picture agree.
set -u
img=$DATA/images
status=0
for f in "$img"/png_*.png; do
    name=$(basename "$f" .png)
    "$FILASTACK" -q render "$f" --width-mm 16 --pixel-mm 2 -o "$name.out.png" || status=1
done
same() { "$IMGCMP" "$1.out.png" "$2" "$3" >&2 || status=1; }
for v in png_rgba8 png_adam7 png_palette_trns; do
    same "$v" "$img/expected_render_rgba.png" 0
done
for v in png_gray2 png_gray4 png_gray8; do
    same "$v" "$img/expected_render_gray.png" 0
done
# The 16-bit pictures hold a blue of 1000/65535, which renders as 4.
same png_rgba16 "$img/expected_render_rgba.png" 4
same png_rgb16 png_rgb8.out.png 4
same png_gray_alpha8 png_gray1.out.png 255  # sizes agree
exit $status
