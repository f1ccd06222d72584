# A PNG cut in the middle of its image data.
"$FILASTACK" render "$DATA/images/bad_png_truncated.png" --width-mm 12 -o out.png
status=$?
[ -z "$(ls)" ] || echo "left behind: $(ls)" >&2
exit $status
