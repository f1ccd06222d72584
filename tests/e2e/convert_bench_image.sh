#!/usr/bin/env bash
# convert_bench_image.sh FILASTACK REFCAL SHARED_DIR [--dither floyd-steinberg]
#
# End to end on the benchmark photo (SHARED_DIR/bench/ladybird_640x480.png)
# with the reference pipeline's calibration (converted by REFCAL), 170 mm
# wide at 0.265625 mm pixels and 0.08 mm layers: every STL and the 3MF are
# closed 2-manifolds by `filastack check`, by admesh (-e -d -v: no
# disconnected facets, nothing reversed, no backwards edges) and by an
# independent edge count (stl_edges.py); each part's volume is its voxel
# count times the voxel volume; at most a quarter of the reference's
# triangles; and PrusaSlicer slices the 3MF with one 0.4 mm extruder per
# filament, printing on each layer exactly the filaments of that layer's map.
set -u
filastack=$1
refcal=$2
shared=$3
shift 3
here=$(cd "$(dirname "$0")" && pwd)
image=$shared/bench/ladybird_640x480.png
for tool in admesh prusa-slicer python3; do
    command -v $tool >/dev/null || { echo "$tool not installed: skipped"; exit 77; }
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail=0
check() { # DESCRIPTION COMMAND...
    local what=$1
    shift
    if "$@"; then echo "ok   $what"; else echo "FAIL $what"; fail=1; fi
}

"$refcal" "$shared/baseline/calib_cmyw_4x4.json" 0.08 "$work/cal.json" || exit 1
"$filastack" -q convert -c "$work/cal.json" --printer prusa-xl-5t --3mf prusa \
    --width-mm 170 --pixel-mm 0.265625 "$@" -o "$work" --name lb "$image" || exit 1
report=$work/lb_report.json

check "filastack check: every STL and the 3MF" "$filastack" -q check "$work"/lb_*.stl "$work/lb.3mf"
check "independent edge count" python3 "$here/stl_edges.py" "$work"/lb_*.stl

# admesh, and the volume against the voxel count of the report.
for stl in "$work"/lb_*.stl; do
    out=$(admesh -e -d -v "$stl" 2>&1)
    field() { printf '%s\n' "$out" | sed -n "s/^$1 *: *\([-0-9.]*\).*/\1/p" | head -n 1; }
    name=$(basename "$stl")
    check "$name: admesh 0 disconnected facets" [ "$(field 'Total disconnected facets')" = 0 ]
    check "$name: admesh 0 facets reversed" [ "$(field 'Facets reversed')" = 0 ]
    check "$name: admesh 0 backwards edges" [ "$(field 'Backwards edges')" = 0 ]
    volume=$(printf '%s\n' "$out" | sed -n 's/.*Volume *: *\([-0-9.]*\).*/\1/p' | head -n 1)
    voxels=$(python3 -c "
import json, sys
r = json.load(open('$report'))
print(sum(p['voxels'] for p in r['parts'] if p['stl'] == '$name'))")
    # The split vertex copies are moved by at most 0.5 um along each axis
    # (see filastack-convert(1)), which can change the volume by at most the
    # surface area times that distance.
    check "$name: admesh volume $volume mm3 = $voxels voxels x voxel volume" python3 -c "
import struct
d = open('$stl', 'rb').read()
area = 0.0
for t in range(struct.unpack_from('<I', d, 80)[0]):
    a, b, c = (struct.unpack_from('<3f', d, 96 + 50 * t + 12 * k) for k in range(3))
    u = [b[i] - a[i] for i in range(3)]
    v = [c[i] - a[i] for i in range(3)]
    x = (u[1] * v[2] - u[2] * v[1], u[2] * v[0] - u[0] * v[2], u[0] * v[1] - u[1] * v[0])
    area += 0.5 * sum(q * q for q in x) ** 0.5
want = int('$voxels') * 0.265625 * 0.265625 * 0.08
got = float('$volume')
raise SystemExit(not (got > 0 and abs(got - want) <= area * 0.0005 * 3 ** 0.5 + 1e-6 * want))"
    check "$name: report volume = voxel count x voxel volume" python3 -c "
import json
p = [p for p in json.load(open('$report'))['parts'] if p['stl'] == '$name'][0]
want = p['voxels'] * 0.265625 * 0.265625 * 0.08
raise SystemExit(abs(p['volume_mm3'] - want) > 1e-3)"
done

triangles=$(python3 -c "import json; print(json.load(open('$report'))['totals']['triangles'])")
echo "triangles: $triangles (reference pipeline: 277872 without dithering, 871008 with)"
# A quarter of the reference's triangles, plain (66,044 now, with the
# default --simplify 1) and dithered (162,300 now, against the reference's
# dithered 871,008).
case " $* " in
*" floyd-steinberg "*) limit=$((871008 / 4)) ;;
*) limit=$((277872 / 4)) ;;
esac
check "at most $limit triangles" [ "$triangles" -le "$limit" ]

# PrusaSlicer: the extruders that print each layer are that layer's filaments.
if prusa-slicer --export-gcode --output "$work/lb.gcode" "$work/lb.3mf" >"$work/slice.log" 2>&1; then
    check "G-code has 0.08 mm layers" grep -qx '; layer_height = 0.08' "$work/lb.gcode"
    used=$(awk '
        /^;LAYER_CHANGE/ { layer++ }
        /^T[0-9]+/ { tool = substr($1, 2) + 0 }
        /^;TYPE:/ { type = substr($0, 7) }
        /^G1 / && / X/ && / E[0-9.]/ && layer > 0 && type != "Wipe tower" && type != "Skirt/Brim" {
            used[layer, tool] = 1 }
        END { for (l = 1; l <= layer; l++) { s = ""
                for (t = 0; t < 16; t++) if (used[l, t]) s = s (s == "" ? "" : " ") t + 1
                print s } }' "$work/lb.gcode")
    want=$(python3 -c "
import json
for l in json.load(open('$report'))['layers']:
    print(' '.join(str(f) for f in l['filaments']))")
    check "each G-code layer prints exactly its layer map's filaments" [ "$used" = "$want" ]
else
    grep -v '\[trace\]\|\[debug\]' "$work/slice.log" | tail -5
    check "prusa-slicer slices the 3MF" false
fi
exit $fail
