# A JPEG with an impossible Huffman table.
"$FILASTACK" render "$DATA/images/bad_jpeg_huffman.jpg" --width-mm 12 -o out.png
status=$?
[ -z "$(ls)" ] || echo "left behind: $(ls)" >&2
exit $status
