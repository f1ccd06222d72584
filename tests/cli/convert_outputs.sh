"$FILASTACK" -q convert -c "$DATA"/cal/reference_cmyw.json --width-mm 40 "$SRC"/samples/sunset.png && ls
