"$FILASTACK" profiles validate "$DATA"/profiles/bad_td.json
