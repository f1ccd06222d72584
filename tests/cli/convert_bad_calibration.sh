"$FILASTACK" convert -c "$DATA"/cal/bad_sequence.json "$SRC"/samples/sunset.png
