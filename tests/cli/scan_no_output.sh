# Scanning needs -o.
"$FILASTACK" scan -d test:0
