"$FILASTACK" profiles validate "$DATA"/profiles/printer_bad_bed.json
