# An empty file.
"$FILASTACK" render "$DATA/images/bad_empty.jpg" --width-mm 12 -o out.png
status=$?
[ -z "$(ls)" ] || echo "left behind: $(ls)" >&2
exit $status
