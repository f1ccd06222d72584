# Every decoder case converts (PNG of every type and depth, Adam7, JPEG
# baseline, progressive, arithmetic, gray, CMYK, YCCK, EXIF orientations 1-8),
# and each EXIF-rotated JPEG gives the same preview as the upright one.
set -u
cal=$DATA/cal/reference_cmyw.json
status=0
for f in "$DATA"/images/png_*.png "$DATA"/images/jpeg_*.jpg "$DATA"/images/exif_*.jpg; do
    name=$(basename "${f%.*}")
    "$FILASTACK" -q convert -c "$cal" --width-mm 12 --pixel-mm 1 --3mf none "$f" ||
        { echo "$name: convert failed"; status=1; }
    [ -f "${name}_preview.png" ] || { echo "$name: no preview"; status=1; }
done
for k in 1 2 3 4 5 6 7 8; do
    "$IMGCMP" "exif_orientation${k}_preview.png" jpeg_upright_preview.png 0 >&2 ||
        { echo "orientation $k differs from the upright picture"; status=1; }
done
exit $status
