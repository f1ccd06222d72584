"$FILASTACK" convert -c "$DATA"/cal/reference_cmyw.json --layer-height-mm 0.1 "$SRC"/samples/sunset.png
