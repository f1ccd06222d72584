#!/usr/bin/env bash
# make.sh FILASTACK — regenerates the bundled calibrations: for each filament
# set that a printer profile names as its default, the calibration that
# `filastack calibrate predict` makes at the default construction.
set -euo pipefail
filastack=${1:?usage: make.sh FILASTACK}
here=$(cd "$(dirname "$0")" && pwd)
for set in $(sed -n 's/.*"default_filament_set": *"\([^"]*\)".*/\1/p' "$here"/../printers/*.json | sort -u); do
    "$filastack" calibrate predict --set "$set" -o "$here/$set.json"
done
