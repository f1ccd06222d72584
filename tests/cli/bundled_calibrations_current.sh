# Each bundled calibration is what `calibrate predict` makes today for its set.
for cal in "$SRC"/profiles/calibrations/*.json; do
    set=$(basename "$cal" .json)
    "$FILASTACK" -q calibrate predict --set "$set" -o "$set.json"
    cmp "$set.json" "$cal" || echo "$cal is out of date: regenerate it with profiles/calibrations/make.sh"
done
