#!/usr/bin/env bash
# prusa_slices_3mf.sh WRITER — end to end: PrusaSlicer slices the
# PrusaSlicer-flavored 3MF of two boxes side by side (filaments 1 and 2,
# 25 layers of 0.08 mm) with the settings the 3MF carries, and the G-code
# shows both extruders printing the object on every layer at 0.08 mm. It
# also reads the core and Bambu flavors as plain 3MF.
# Exit 77 (skipped) when prusa-slicer is not installed. prusa-slicer's
# --export-gcode needs no display.
set -euo pipefail

writer=$1
command -v prusa-slicer >/dev/null 2>&1 || { echo "prusa-slicer not installed"; exit 77; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$writer" "$tmp/boxes.3mf"
if ! prusa-slicer --export-gcode --output "$tmp/boxes.gcode" "$tmp/boxes.3mf" \
        >"$tmp/slicer.log" 2>&1; then
    grep -v '\[trace\]\|\[debug\]' "$tmp/slicer.log" | tail -20
    echo "FAIL: prusa-slicer could not slice the 3MF"
    exit 1
fi

fail=0
check() { # check DESCRIPTION COMMAND...
    local what=$1; shift
    if "$@"; then echo "ok   $what"; else echo "FAIL $what"; fail=1; fi
}

gcode=$tmp/boxes.gcode

# The settings came from Metadata/Slic3r_PE.config.
check "layer_height = 0.08" grep -qx '; layer_height = 0.08' "$gcode"
check "first_layer_height = 0.08" grep -qx '; first_layer_height = 0.08' "$gcode"
check "two 0.4 mm extruders" grep -qx '; nozzle_diameter = 0.4,0.4' "$gcode"

# Layers fall on the color layers: Z = 0.08 k for k = 1..25, each 0.08 thick.
check "25 layers at 0.08 k mm" awk '
    /^;Z:/ { n++; z = substr($0, 4) + 0; if (z < 0.08 * n - 1e-4 || z > 0.08 * n + 1e-4) bad = 1 }
    END { exit !(n == 25 && !bad) }' "$gcode"
check "every layer 0.08 mm high" awk '
    /^;Z:/ { want = 1; next }
    want && /^;HEIGHT:/ { h = substr($0, 9) + 0; if (h < 0.0799 || h > 0.0801) bad = 1; n++; want = 0 }
    END { exit !(n == 25 && !bad) }' "$gcode"

# Both extruders print the object (not only the wipe tower) on every layer.
check "tool changes to T0 and T1" bash -c "grep -q '^T0' '$gcode' && grep -q '^T1' '$gcode'"
check "T0 and T1 both extrude the object on all 25 layers" awk '
    /^;LAYER_CHANGE/ { layer++ }
    /^T[0-9]+/ { tool = substr($1, 2) + 0 }
    /^;TYPE:/ { type = substr($0, 7) }
    /^G1 / && / X/ && / E[0-9.]/ && layer > 0 && type != "Wipe tower" && type != "Skirt/Brim" {
        used[layer, tool] = 1 }
    END {
        for (l = 1; l <= 25; l++) if (!used[l, 0] || !used[l, 1]) exit 1
        exit !(layer == 25) }' "$gcode"

# The core and Bambu flavors (an assembly of one object per part) are plain
# 3MF to PrusaSlicer: it finds both boxes, each closed.
for flavor in core bambu; do
    "$writer" "$tmp/$flavor.3mf" "$flavor"
    prusa-slicer --info "$tmp/$flavor.3mf" >"$tmp/$flavor.info" 2>/dev/null || true
    check "$flavor flavor: PrusaSlicer reads two closed 12-triangle boxes" bash -c "
        [ \$(grep -c '^number_of_facets = 12\$' '$tmp/$flavor.info') -eq 2 ] &&
        [ \$(grep -c '^manifold = yes\$' '$tmp/$flavor.info') -eq 2 ]"
done

if [ $fail -ne 0 ]; then
    echo "FAIL: see the checks above"
    exit 1
fi
echo "all checks passed"
