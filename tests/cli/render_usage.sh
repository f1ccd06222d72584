# Usage errors exit 2 and write nothing.
img=$DATA/images/png_rgb8.png
"$FILASTACK" render "$img" --width-mm 12; echo "exit $?"
"$FILASTACK" render "$img" --width-mm 12 --height-mm 9 -o out.png; echo "exit $?"
"$FILASTACK" render "$img" -o out.png; echo "exit $?"
"$FILASTACK" render --width-mm 12 -o out.png; echo "exit $?"
"$FILASTACK" render "$img" "$img" --width-mm 12 -o out.png; echo "exit $?"
"$FILASTACK" render "$img" --width-mm 0 -o out.png; echo "exit $?"
"$FILASTACK" render "$img" --width-mm 12 --pixel-mm wide -o out.png; echo "exit $?"
"$FILASTACK" render "$img" --width-mm 12 --printer nope -o out.png; echo "exit $?"
[ -z "$(ls)" ] || echo "left behind: $(ls)" >&2
