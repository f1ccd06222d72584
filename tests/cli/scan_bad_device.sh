# A device name no backend knows.
timeout 60 "$FILASTACK" scan -d nosuch:0 -o out.png
