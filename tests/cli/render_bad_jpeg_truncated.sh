# A baseline JPEG cut at two thirds.
"$FILASTACK" render "$DATA/images/bad_jpeg_truncated.jpg" --width-mm 12 -o out.png
status=$?
[ -z "$(ls)" ] || echo "left behind: $(ls)" >&2
exit $status
