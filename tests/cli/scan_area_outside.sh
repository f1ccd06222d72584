# A scan area beyond the reach of the scanner.
timeout 60 "$FILASTACK" scan -d test:0 --area 0,0,300,10 -o out.png
