# Patch and gap sizes must be whole multiples of 0.1 mm.
"$FILASTACK" calibrate grid --patch-mm 6.05 -o out
