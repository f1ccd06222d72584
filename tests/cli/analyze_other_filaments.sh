# A grid printed with green where it names yellow is read, with a warning.
"$FILASTACK" -q calibrate grid -o grid &&
    "$SYNTH" grid/grid.json scan.jpg --dpi 120 --angle 93 --mirror --printed 3=00AE42 \
        --perturb 0.05 --jitter 1 &&
    "$FILASTACK" calibrate analyze --grid grid/grid.json -o cal.json scan.jpg 2>&1 |
    grep "warning"
