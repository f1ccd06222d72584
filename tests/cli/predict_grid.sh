# calibrate predict GRID.json: one entry per patch; construction options
# are refused (the grid has them), and a broken grid names the JSON path.
"$FILASTACK" -q calibrate grid --max-patches 40 -o g
"$FILASTACK" calibrate predict g/grid.json -o cal.json
grep -c '"origin": "predicted"' cal.json
"$FILASTACK" calibrate predict --layers 3 g/grid.json -o cal2.json
sed 's/"base_filament": 4/"base_filament": 7/' g/grid.json >bad.json
"$FILASTACK" calibrate predict bad.json -o cal3.json
rc=$?
ls
exit $rc
