"$FILASTACK" profiles list --nope
