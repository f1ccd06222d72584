#!/usr/bin/env bash
# analyze_sweep.sh FILASTACK SWEEP — makes the default grid with
# `filastack calibrate grid` and runs the analyzer's pose sweep on it.
set -eu
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$1" -q calibrate grid -o "$work/grid"
"$2" "$work/grid/grid.json" "$work"
