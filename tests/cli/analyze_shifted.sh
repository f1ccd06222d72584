# Patch colors printed one patch off are refused: the marks fit, the colors
# fit the filament model far better read one patch to the left.
"$FILASTACK" -q calibrate grid -o grid &&
    "$SYNTH" grid/grid.json scan.png --dpi 120 --angle -4 --shift-colors &&
    "$FILASTACK" calibrate analyze --grid grid/grid.json -o cal.json scan.png
status=$?
ls
exit $status
