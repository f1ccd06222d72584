"$FILASTACK" --version | grep -Eq "^filastack [0-9]+\.[0-9]+\.[0-9]+$"
