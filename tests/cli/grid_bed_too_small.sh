# A bed too small for the 16 single-filament stacks, with or without
# --pages: an error naming the limit, and no output folder.
cat >tiny.json <<'JSON'
{"schema": 1, "kind": "printer", "name": "Tiny", "nozzle_mm": 0.4, "layer_height_mm": 0.08,
 "first_layer_height_mm": 0.2, "bed_mm": [40, 40], "filament_slots": 4,
 "slicer_flavor": "prusa", "default_filament_set": "cmyw-pla"}
JSON
"$FILASTACK" calibrate grid --printer ./tiny.json -o out
"$FILASTACK" calibrate grid --printer ./tiny.json --pages -o out
rc=$?
ls
exit $rc
