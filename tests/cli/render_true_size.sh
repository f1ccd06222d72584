# The output prints at true size: pHYs is 25.4 / pixel_mm dots per inch.
# The default pixel is the printer's nozzle (bambu-x1c-ams: 0.4 mm).
set -u
img=$DATA/images
"$FILASTACK" render "$img/jpeg_upright.jpg" --width-mm 12 --pixel-mm 1 -o a.png &&
    "$IMGCMP" info a.png
"$FILASTACK" render "$img/jpeg_upright.jpg" --width-mm 12 -o b.png && "$IMGCMP" info b.png
"$FILASTACK" render "$img/jpeg_upright.jpg" --height-mm 8 --printer prusa-xl-5t -o c.png &&
    "$IMGCMP" info c.png
sed 's/"nozzle_mm": 0.4/"nozzle_mm": 0.6/' "$SRC/profiles/printers/prusa-xl-5t.json" >my-printer.json
"$FILASTACK" render "$img/png_rgb8.png" --width-mm 12 --printer ./my-printer.json -o d.png &&
    "$IMGCMP" info d.png
