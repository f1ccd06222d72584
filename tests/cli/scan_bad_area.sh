# --area needs four numbers, a positive width and height.
"$FILASTACK" scan --area 1,2,0,4 -o out.png
