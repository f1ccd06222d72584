# A text file named .png.
"$FILASTACK" render "$DATA/images/bad_not_image.png" --width-mm 12 -o out.png
status=$?
[ -z "$(ls)" ] || echo "left behind: $(ls)" >&2
exit $status
