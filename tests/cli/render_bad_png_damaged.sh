# A PNG with one damaged byte in its compressed data.
"$FILASTACK" render "$DATA/images/bad_png_damaged.png" --width-mm 12 -o out.png
status=$?
[ -z "$(ls)" ] || echo "left behind: $(ls)" >&2
exit $status
