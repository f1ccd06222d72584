head -c 3000 "$SRC"/samples/sunset.png > cut.png
"$FILASTACK" convert -c "$DATA"/cal/reference_cmyw.json cut.png
status=$?
ls
exit $status
