cp "$DATA"/mesh/garbage.stl . && "$FILASTACK" check garbage.stl
