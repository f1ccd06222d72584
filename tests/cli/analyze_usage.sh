# A scan, a grid and an output are all needed.
"$FILASTACK" calibrate analyze -o cal.json "$SRC"/samples/grid_scan.png
"$FILASTACK" calibrate analyze --grid grid.json "$SRC"/samples/grid_scan.png
"$FILASTACK" calibrate analyze --grid grid.json -o cal.json
