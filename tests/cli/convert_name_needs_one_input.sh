"$FILASTACK" convert --name x a.png b.png
