"$FILASTACK" profiles show "cmyw pla" | grep -q "\"filament-set\""
