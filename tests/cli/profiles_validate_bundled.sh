"$FILASTACK" -q profiles validate "$SRC"/profiles/*/*.json
