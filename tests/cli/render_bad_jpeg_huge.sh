# A JPEG frame declaring 60000x60000 pixels.
"$FILASTACK" render "$DATA/images/bad_jpeg_huge.jpg" --width-mm 12 -o out.png
status=$?
[ -z "$(ls)" ] || echo "left behind: $(ls)" >&2
exit $status
