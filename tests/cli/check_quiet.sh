cp "$DATA"/mesh/cube.stl "$DATA"/mesh/cubes.3mf "$DATA"/mesh/cube_ascii.stl . && "$FILASTACK" check -q cube.stl cubes.3mf cube_ascii.stl
