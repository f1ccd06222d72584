"$FILASTACK" profiles validate "$DATA"/profiles/good_filament.json "$DATA"/profiles/bad_color.json
