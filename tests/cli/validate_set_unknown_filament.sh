"$FILASTACK" profiles validate "$DATA"/profiles/set_unknown_filament.json
