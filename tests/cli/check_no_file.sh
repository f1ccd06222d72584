"$FILASTACK" check
