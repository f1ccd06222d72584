#!/usr/bin/env bash
# grid_print.sh FILASTACK — the calibration grid end to end, checked by
# programs we did not write: admesh finds every grid STL closed (0
# disconnected facets, 0 backwards edges) for the default, view-bottom
# and no-backing constructions, `filastack check` agrees, PrusaSlicer
# slices the grid's 3MF on the MK4S + MMU3 profile with one extruder per
# filament, every extruder printing the grid, the wipe tower on the bed
# and clear of the grid; `calibrate predict grid.json` gives one entry per
# patch and `convert` works with that calibration. Exit 77 (skipped)
# without admesh, prusa-slicer or python3.
set -u
filastack=$1
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

for variant in default bottom nobacking; do
    case $variant in
    default) extra=() ;;
    bottom) extra=(--view bottom) ;;
    nobacking) extra=(--no-backing) ;;
    esac
    dir=$work/$variant
    "$filastack" -q calibrate grid --printer prusa-mk4s-mmu3 "${extra[@]}" -o "$dir" || exit 1
    check "$variant: filastack check of every STL and the 3MF" \
        "$filastack" -q check "$dir"/grid_*.stl "$dir/grid.3mf"
    for stl in "$dir"/grid_*.stl; do
        out=$(admesh -e -d -v "$stl" 2>&1)
        field() { printf '%s\n' "$out" | sed -n "s/^$1 *: *\([-0-9.]*\).*/\1/p" | head -n 1; }
        name=$variant/$(basename "$stl")
        check "$name: admesh 0 disconnected facets" [ "$(field 'Total disconnected facets')" = 0 ]
        check "$name: admesh 0 backwards edges" [ "$(field 'Backwards edges')" = 0 ]
        check "$name: admesh 0 facets reversed" [ "$(field 'Facets reversed')" = 0 ]
    done
done

dir=$work/default
check "grid.json, README, preview and 4 filament STLs + backing" bash -c "
    cd '$dir' && [ -s grid.json ] && [ -s grid_README.txt ] && [ -s grid_preview.png ] &&
    [ \$(ls grid_*.stl | wc -l) -eq 5 ] && [ -s grid_backing-white-pla.stl ]"

# --dont-arrange keeps the 3MF's placement, as opening the project in the
# GUI does (the command line would otherwise center the object again).
if prusa-slicer --dont-arrange --export-gcode --output "$work/grid.gcode" "$dir/grid.3mf" \
        >"$work/slice.log" 2>&1; then
    check "prusa-slicer slices the grid's 3MF" true
else
    grep -v '\[trace\]\|\[debug\]' "$work/slice.log" | tail -20
    check "prusa-slicer slices the grid's 3MF" false
fi
gcode=$work/grid.gcode
check "four 0.4 mm extruders (one per filament)" grep -qx '; nozzle_diameter = 0.4,0.4,0.4,0.4' "$gcode"
check "0.08 mm layers, first layer too" bash -c "
    grep -qx '; layer_height = 0.08' '$gcode' && grep -qx '; first_layer_height = 0.08' '$gcode'"
# Every extruder prints the grid itself; the wipe tower stays on the
# 250 x 210 mm bed (with its 2 mm brim) and clear of the grid (from the
# second layer on: the first starts with the MMU's priming lines, which
# PrusaSlicer marks as wipe tower too).
check "every extruder prints the grid; the tower is on the bed, clear of it" python3 - "$gcode" <<'PY'
import re, sys
tool, kind, used, layer = None, None, set(), 0
box = {}
for line in open(sys.argv[1]):
    if line.startswith(';LAYER_CHANGE'):
        layer += 1
    elif re.match(r'^T\d+', line):
        tool = int(line[1:].split()[0])
    elif line.startswith(';TYPE:'):
        kind = line[6:].strip()
    elif line.startswith('G1 ') and re.search(r' E[0-9.]', line):
        x, y = re.search(r' X([-0-9.]+)', line), re.search(r' Y([-0-9.]+)', line)
        if not x or not y or layer < 2 or kind in (None, 'Custom', 'Skirt/Brim'):
            continue
        k = 'tower' if kind == 'Wipe tower' else 'grid'
        if k == 'grid':
            used.add(tool)
        b = box.setdefault(k, [1e9, 1e9, -1e9, -1e9])
        x, y = float(x.group(1)), float(y.group(1))
        b[:] = [min(b[0], x), min(b[1], y), max(b[2], x), max(b[3], y)]
g, t = box['grid'], box['tower']
ok = used == {0, 1, 2, 3}
ok &= t[0] >= 2 and t[1] >= 2 and t[2] <= 248 and t[3] <= 208
ok &= t[0] > g[2] or t[2] < g[0] or t[1] > g[3] or t[3] < g[1]
print('extruders', sorted(used), 'grid', g, 'tower', t)
sys.exit(0 if ok else 1)
PY

"$filastack" -q calibrate predict "$dir/grid.json" -o "$work/predicted.json" || exit 1
check "calibrate predict grid.json: one predicted entry per patch" python3 -c "
import json
g = json.load(open('$dir/grid.json'))
c = json.load(open('$work/predicted.json'))
assert len(c['entries']) == len(g['patches']) == 340
assert [e['sequence'] for e in c['entries']] == [p['sequence'] for p in g['patches']]
assert all(e['origin'] == 'predicted' for e in c['entries'])
assert c['construction'] == g['construction']"
mkdir "$work/convert"
check "convert with the predicted calibration" "$filastack" -q convert -c "$work/predicted.json" \
    --printer prusa-mk4s-mmu3 --width-mm 40 -o "$work/convert" "$(dirname "$0")/../../samples/sunset.png"
check "convert wrote its 3MF" [ -s "$work/convert/sunset.3mf" ]
[ $fail = 0 ] || { echo "FAIL: see the checks above"; exit 1; }
echo "all checks passed"
