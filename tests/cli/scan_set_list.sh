# A value that is not in the string list of an option.
timeout 60 "$FILASTACK" scan -d test:0 --set test-picture=Sepia -o out.png
