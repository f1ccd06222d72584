# A missing scan is named.
"$FILASTACK" -q calibrate grid -o grid &&
    "$FILASTACK" calibrate analyze --grid grid/grid.json -o cal.json nothing.png
