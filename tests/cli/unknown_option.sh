"$FILASTACK" --frobnicate
