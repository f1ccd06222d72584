#!/usr/bin/env bash
# admesh_agrees.sh FILASTACK DATA_DIR — 'filastack check' and admesh agree
# on the fixtures: where each hole is one missing triangle, our open edges
# equal admesh's disconnected facets, and both give the same volume.
# Exit 77 (skip) when admesh is not installed.
set -u
filastack=$1
data=$2
command -v admesh >/dev/null || { echo "admesh not installed: skipped"; exit 77; }
status=0
for f in cube.stl cube_solid_header.stl open_cube.stl; do
    ours=$("$filastack" check --json "$data/mesh/$f")
    open=$(printf '%s\n' "$ours" | sed -n 's/.*"open_edges":[[:space:]]*\([0-9]*\).*/\1/p')
    volume=$(printf '%s\n' "$ours" | sed -n 's/.*"volume_mm3":[[:space:]]*\([-0-9.e+]*\).*/\1/p')
    theirs=$(admesh -e "$data/mesh/$f")
    disconnected=$(printf '%s\n' "$theirs" | sed -n 's/^Total disconnected facets *: *\([0-9]*\).*/\1/p')
    their_volume=$(printf '%s\n' "$theirs" | sed -n 's/.*Volume *: *\([-0-9.]*\).*/\1/p')
    if [ -z "$open" ] || [ "$open" != "$disconnected" ]; then
        echo "$f: $open open edges, admesh: $disconnected disconnected facets"
        status=1
    fi
    if ! awk -v a="$volume" -v b="$their_volume" 'BEGIN { d = a - b; exit !(a != "" && d * d < 1e-6) }'; then
        echo "$f: volume $volume, admesh: $their_volume"
        status=1
    fi
done
exit $status
