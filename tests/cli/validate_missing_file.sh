"$FILASTACK" profiles validate nope.json
