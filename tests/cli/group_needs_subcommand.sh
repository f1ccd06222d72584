"$FILASTACK" profiles
