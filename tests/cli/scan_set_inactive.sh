# three-pass is active only in color mode.
timeout 60 "$FILASTACK" scan -d test:0 --mode gray --set three-pass=yes -o out.png
