cp "$DATA"/mesh/cube.stl "$DATA"/mesh/truncated.stl . && "$FILASTACK" check --json cube.stl truncated.stl
