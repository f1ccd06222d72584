# Five filaments do not fit the four AMS slots of the default printer.
"$FILASTACK" calibrate grid --set cmykw-pla -o out
