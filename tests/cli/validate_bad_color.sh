"$FILASTACK" profiles validate "$DATA"/profiles/bad_color.json
