"$FILASTACK" profiles show nope
