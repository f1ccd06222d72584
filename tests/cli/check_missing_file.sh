"$FILASTACK" check nope.stl
