# Every JPEG case renders; baseline, progressive, arithmetic, CMYK (Adobe,
# inverted) and YCCK give the picture of the upright baseline file, within
# a tolerance for JPEG's lossy coding.
set -u
img=$DATA/images
status=0
for f in "$img"/jpeg_*.jpg; do
    name=$(basename "$f" .jpg)
    "$FILASTACK" -q render "$f" --width-mm 12 --pixel-mm 1 -o "$name.out.png" || status=1
done
for v in jpeg_baseline jpeg_progressive jpeg_arithmetic jpeg_cmyk jpeg_ycck; do
    "$IMGCMP" "$v.out.png" jpeg_upright.out.png 4 >&2 || status=1
done
exit $status
