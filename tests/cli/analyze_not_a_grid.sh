# A picture without the grid is refused, and nothing is written.
"$FILASTACK" -q calibrate grid -o grid &&
    "$FILASTACK" calibrate analyze --grid grid/grid.json --overlay read.png -o cal.json \
        "$SRC"/samples/sunset.png
status=$?
ls
exit $status
