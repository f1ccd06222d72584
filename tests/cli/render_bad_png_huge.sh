# A PNG header declaring 100000x100000 pixels: refused before allocating.
"$FILASTACK" render "$DATA/images/bad_png_huge.png" --width-mm 12 -o out.png
status=$?
[ -z "$(ls)" ] || echo "left behind: $(ls)" >&2
exit $status
