"$FILASTACK" frobnicate
