"$FILASTACK" --help | grep -q "^usage: filastack"
