# A backing that is not a whole number of layers.
"$FILASTACK" calibrate grid --backing 4:0.5 -o out
