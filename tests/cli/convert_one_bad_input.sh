printf "not an image" > bad.png
"$FILASTACK" -q convert -c "$DATA"/cal/reference_cmyw.json --width-mm 30 bad.png "$SRC"/samples/mushroom.png
status=$?
ls
exit $status
