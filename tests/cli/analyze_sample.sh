# The sample scan of the default grid is read into a calibration within
# ΔE00 mean 0.5 and max 1.5 of the colors it was drawn with, with an overlay.
"$FILASTACK" -q calibrate grid -o grid &&
    "$FILASTACK" -q calibrate analyze --grid grid/grid.json --overlay read.png -o cal.json \
        "$SRC"/samples/grid_scan.png &&
    "$SYNTH" grid/grid.json --check cal.json --seed 7 --perturb 0.1 --jitter 2 >/dev/null &&
    "$IMGCMP" info read.png && ls
