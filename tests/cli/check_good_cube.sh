cp "$DATA"/mesh/cube.stl "$DATA"/mesh/cube_solid_header.stl . && "$FILASTACK" check cube.stl cube_solid_header.stl
