cp "$DATA"/mesh/truncated.stl "$DATA"/mesh/cube.stl . && "$FILASTACK" check truncated.stl cube.stl
