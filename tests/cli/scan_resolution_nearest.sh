# pnm offers a list of resolutions: the nearest one is used and reported.
timeout 60 "$FILASTACK" scan -d pnm:0 --set "filename=$DATA/sane/scan.ppm" \
    --resolution 301 -o out.png
