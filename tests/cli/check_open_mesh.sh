cp "$DATA"/mesh/open_cube.stl "$DATA"/mesh/flipped_cube.stl "$DATA"/mesh/inside_out_cube.stl . && "$FILASTACK" check open_cube.stl flipped_cube.stl inside_out_cube.stl
