"$FILASTACK" -q profiles validate "$SRC"/profiles/printers/*.json "$SRC"/profiles/filaments/*.json "$SRC"/profiles/sets/*.json
