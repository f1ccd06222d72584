# bool, int, fixed and string values and a button (pnm backend, no output noise).
timeout 60 "$FILASTACK" scan -d pnm:0 --set "filename=$DATA/sane/scan.ppm" \
    --set brightness=12.5 --set default-enhancements --set grayify=no \
    --set custom-gamma=no -o out.png
