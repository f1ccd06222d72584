"$FILASTACK" profiles validate "$DATA"/profiles/malformed.json
