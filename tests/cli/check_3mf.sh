cp "$DATA"/mesh/cubes.3mf "$DATA"/mesh/components.3mf . && "$FILASTACK" check components.3mf cubes.3mf
