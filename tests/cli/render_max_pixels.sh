# --max-pixels: a 16x12 image (192 pixels) against a limit of 191, then 192.
"$FILASTACK" render "$DATA/images/png_rgb8.png" --width-mm 12 --max-pixels 191 -o out.png
echo "exit $?"
[ ! -e out.png ] || echo "left behind: out.png" >&2
"$FILASTACK" -q render "$DATA/images/png_rgb8.png" --width-mm 12 --max-pixels 192 -o out.png
