# A value outside the range constraint of an int option.
timeout 60 "$FILASTACK" scan -d test:0 --set ppl-loss=500 -o out.png
