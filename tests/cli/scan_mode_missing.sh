# pnm has no mode option: asked for gray, it sends color, and says so.
timeout 60 "$FILASTACK" scan -d pnm:0 --mode gray --set "filename=$DATA/sane/scan.ppm" -o out.png
