"$FILASTACK" calibrate grid
