#!/usr/bin/env bash
# admesh_stl.sh WRITER FILASTACK — an STL written by fsk_stl_write, checked by admesh
# (exact edge matching, normal directions and values): the two cubes that
# touch along an edge must come out as 2 parts with no disconnected facets,
# no backwards edges and nothing to reverse or fix. admesh -e pairs the
# four uses of an un-split edge without complaint, so the volume (which the
# nudge changes) and 'filastack check' (which counts non-manifold edges)
# catch a writer that forgets the nudge. Exit 77 (skip) when admesh is not
# installed.
set -u
writer=$1
filastack=$2
command -v admesh >/dev/null || { echo "admesh not installed: skipped"; exit 77; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$writer" "$work/two.stl" || exit 1
out=$(admesh -e -d -v "$work/two.stl") || { echo "$out"; echo "admesh failed"; exit 1; }

# "Name   :  original  final" -> the original column, or the value after the colon.
field() { printf '%s\n' "$out" | sed -n "s/^$1 *: *\([-0-9.]*\).*/\1/p" | head -n 1; }
status=0
expect() { # LABEL WANT
    local got
    got=$(field "$1")
    if [ "$got" != "$2" ]; then
        echo "admesh: '$1' is '$got', expected '$2'"
        status=1
    fi
}
expect "Number of facets" 24
expect "Total disconnected facets" 0
expect "Number of parts" 2
expect "Degenerate facets" 0
expect "Facets reversed" 0
expect "Backwards edges" 0
expect "Normals fixed" 0
expect "Edges fixed" 0
expect "Facets removed" 0
expect "Facets added" 0
# Volume: two 0.4 x 0.4 x 0.2 mm voxels less the nudge slivers, 0.06392 mm^3.
volume=$(printf '%s\n' "$out" | sed -n 's/.*Volume *: *\([-0-9.]*\).*/\1/p')
if ! awk -v v="$volume" 'BEGIN { exit !(v > 0.0639 && v < 0.0640) }'; then
    echo "admesh: volume is '$volume', expected 0.06392"
    status=1
fi
[ $status = 0 ] || printf '%s\n' "$out"
want="$work/two.stl: closed 2-manifold, 24 triangles, 2 shells, volume 0.064 mm³"
got=$("$filastack" check "$work/two.stl")
if [ "$got" != "$want" ]; then
    echo "filastack check: '$got', expected '$want'"
    status=1
fi
exit $status
