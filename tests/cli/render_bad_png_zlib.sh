# A PNG whose IDAT holds no valid zlib stream.
"$FILASTACK" render "$DATA/images/bad_png_zlib.png" --width-mm 12 -o out.png
status=$?
[ -z "$(ls)" ] || echo "left behind: $(ls)" >&2
exit $status
