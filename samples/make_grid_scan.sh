#!/usr/bin/env bash
# make_grid_scan.sh BUILD_DIR — draws samples/grid_scan.png: a synthetic
# 100 dpi scan of the default calibration grid (`filastack calibrate grid`),
# turned 1.5 degrees, slightly blurred and unevenly lit, with the colors of
# a perturbed filament model. Deterministic; uses the test tool
# fsk_synth_scan (tests/tools/synth_scan.c) of a build.
set -eu
build=$1
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$build/filastack" -q calibrate grid -o "$work/grid"
"$build/tests/fsk_synth_scan" "$work/grid/grid.json" "$here/grid_scan.png" --dpi 100 \
    --angle 1.5 --margin-mm 4 --blur 0.6 --illum 0.03 --seed 7 --perturb 0.1 --jitter 2
