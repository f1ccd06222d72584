cp "$DATA"/mesh/bad_index.3mf "$DATA"/mesh/laughs.3mf . && "$FILASTACK" check bad_index.3mf laughs.3mf
