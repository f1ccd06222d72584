# Fewer patches than the single-filament stacks it must keep.
"$FILASTACK" calibrate grid --max-patches 10 -o out
