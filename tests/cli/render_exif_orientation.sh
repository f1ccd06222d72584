# Each EXIF orientation 1..8 of the picture, stored transformed by the
# inverse of its orientation, renders like the upright copy.
set -u
img=$DATA/images
"$FILASTACK" -q render "$img/jpeg_upright.jpg" --width-mm 12 --pixel-mm 1 -o upright.png || exit 1
status=0
for k in 1 2 3 4 5 6 7 8; do
    "$FILASTACK" -q render "$img/exif_orientation$k.jpg" --width-mm 12 --pixel-mm 1 -o "o$k.png" &&
        "$IMGCMP" "o$k.png" upright.png 4 >&2 || status=1
done
# By height too: the height is along the displayed axis.
"$FILASTACK" -q render "$img/exif_orientation6.jpg" --height-mm 8 --pixel-mm 1 -o h6.png &&
    "$IMGCMP" h6.png upright.png 4 >&2 || status=1
exit $status
