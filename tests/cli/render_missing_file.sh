# A file that does not exist.
"$FILASTACK" render "$DATA/images/no_such_file.png" --width-mm 12 -o out.png
status=$?
[ -z "$(ls)" ] || echo "left behind: $(ls)" >&2
exit $status
