# The scan area is rounded to the backend steps of 1 mm, and reported.
timeout 60 "$FILASTACK" scan -d test:0 --resolution 100 --area 10,10,20.5,30.25 -o out.png
