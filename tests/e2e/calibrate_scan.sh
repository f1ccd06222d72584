#!/usr/bin/env bash
# calibrate_scan.sh CASE — `filastack calibrate scan` end to end through real
# libsane: SANE's pnm backend returns a synthetic scan of the default grid
# (a PPM drawn by fsk_synth_scan at the backend's 300 dpi) as if a flatbed
# had scanned it.
#
# Needs $FILASTACK, $SYNTH (fsk_synth_scan), $IMGCMP, $DATA (tests/data) and
# SANE_CONFIG_DIR set to tests/data/sane. Every command runs under timeout.
set -u
case_name=$1
: "${FILASTACK:?}" "${SYNTH:?}" "${IMGCMP:?}" "${DATA:?}" "${SANE_CONFIG_DIR:?}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1
fsk() { timeout 120 "$FILASTACK" "$@"; }
fail() { echo "FAIL: $*"; exit 1; }

fsk -q calibrate grid -o grid || fail "calibrate grid"
case $case_name in
grid) # read within ΔE00 mean 0.5, max 1.5; the scan is kept next to the output
    "$SYNTH" grid/grid.json grid.ppm --dpi 300 --angle 178.5 --blur 0.8 --noise 2 \
        --dust 30 --fibre --illum 0.06 --seed 5 || fail "synth"
    fsk calibrate scan --grid grid/grid.json -d pnm:0 --set "filename=$work/grid.ppm" \
        --overlay read.png -o cal.json || fail "calibrate scan"
    "$SYNTH" grid/grid.json --check cal.json --seed 5 || fail "colors"
    [ "$("$IMGCMP" info cal_scan.png)" = "PNG $("$IMGCMP" info read.png | cut -d' ' -f2-)" ] ||
        fail "scan and overlay differ in size"
    "$IMGCMP" info cal_scan.png | grep -q "dpi 300" || fail "the scan lost its resolution"
    grep -q '"device": "pnm:0", "dpi": 300, "scans": 1, "flat_field"' cal.json ||
        fail "source: $(grep '"source"' cal.json)" ;;
not_a_grid) # refused: no calibration, no overlay; the scan is kept to look at
    fsk calibrate scan --grid grid/grid.json -d pnm:0 --set "filename=$DATA/sane/scan.ppm" \
        --overlay read.png -o cal.json 2>err.txt && fail "a picture was read as a grid"
    grep -q "no calibration grid found in 'cal_scan.png'" err.txt || fail "$(cat err.txt)"
    [ ! -e cal.json ] && [ ! -e read.png ] && [ -e cal_scan.png ] || fail "files: $(ls)" ;;
*)
    echo "unknown case $case_name"
    exit 2 ;;
esac
echo "ok: $case_name"
