#!/usr/bin/env bash
# scan_case.sh CASE — one end-to-end scan through real libsane, no hardware.
#
# Needs $FILASTACK (the binary), $DATA (tests/data) and SANE_CONFIG_DIR set
# to tests/data/sane, whose dll.conf loads the `test` and `pnm` backends.
# pnm cases scan a known PPM/PGM/PBM and must give it back exactly; test
# backend cases must give the same pixels as scanimage (sane-utils, an
# independent frontend) with the same backend options. Every command runs
# under `timeout 60`: the test backend's cancel can hang right after start.
set -u
case_name=$1
: "${FILASTACK:?}" "${DATA:?}" "${SANE_CONFIG_DIR:?}"
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1

ppm=$DATA/sane/scan.ppm
pixels() { python3 "$here/pixels.py" "$@"; }
fsk() { timeout 60 "$FILASTACK" -q scan "$@"; }
# scanimage with the test backend; its PNM goes to stdout.
ref() { timeout 60 scanimage -d test:0 --format=pnm "$@" 2>/dev/null; }

# The common test-backend picture: 60 x 40 mm at 75 dpi, the color pattern.
pattern=(--resolution 75 --test-picture "Color pattern")
fsk_pattern=(--resolution 75 --area 0,0,60,40 --set "test-picture=Color pattern")
ref_area=(-l 0 -t 0 -x 60 -y 40)

case $case_name in
pnm_rgb) # the PPM back, exactly, with 300 dpi in pHYs
    fsk -d pnm:0 --set "filename=$ppm" -o out.png &&
        pixels compare out.png "$ppm" --dpi 300 ;;
pnm_three_pass) # three frames (green, blue, red) interleaved back
    fsk -d pnm:0 --set "filename=$ppm" --set three-pass=yes -o out.png &&
        pixels compare out.png "$ppm" ;;
pnm_hand_scanner) # lines == -1: the height is learned at the end
    fsk -d pnm:0 --set "filename=$ppm" --set hand-scanner=yes -o out.png &&
        pixels compare out.png "$ppm" ;;
pnm_gray) # a PGM is a gray frame
    pixels pgm "$ppm" in.pgm &&
        fsk -d pnm:0 --set "filename=$work/in.pgm" -o out.png &&
        pixels compare out.png in.pgm ;;
pnm_lineart) # a PBM is a 1-bit gray frame (1 = black), 197 px: lines end mid-byte
    pixels pbm "$ppm" in.pbm 197 &&
        fsk -d pnm:0 --set "filename=$work/in.pbm" -o out.png &&
        pixels compare out.png in.pbm ;;
test_color8)
    ref "${ref_area[@]}" "${pattern[@]}" --mode Color --depth 8 >ref.pnm &&
        fsk -d test:0 "${fsk_pattern[@]}" --mode color --depth 8 -o out.png &&
        pixels compare out.png ref.pnm --dpi 75 ;;
test_gray8)
    ref "${ref_area[@]}" "${pattern[@]}" --mode Gray --depth 8 >ref.pnm &&
        fsk -d test:0 "${fsk_pattern[@]}" --mode gray --depth 8 -o out.png &&
        pixels compare out.png ref.pnm ;;
test_color16) # 16-bit samples arrive in host order; the PNG holds them big-endian
    ref "${ref_area[@]}" "${pattern[@]}" --mode Color --depth 16 >ref.pnm &&
        fsk -d test:0 "${fsk_pattern[@]}" --mode color --depth 16 -o out.png &&
        pixels compare out.png ref.pnm ;;
test_gray16)
    ref "${ref_area[@]}" "${pattern[@]}" --mode Gray --depth 16 >ref.pnm &&
        fsk -d test:0 "${fsk_pattern[@]}" --mode gray --depth 16 -o out.png &&
        pixels compare out.png ref.pnm ;;
test_three_pass) # frames in B, G, R order give the single-pass RGB image
    ref "${ref_area[@]}" "${pattern[@]}" --mode Color >ref.pnm &&
        fsk -d test:0 "${fsk_pattern[@]}" --mode color --set three-pass=yes \
            --set three-pass-order=BGR -o out.png &&
        pixels compare out.png ref.pnm ;;
test_hand_scanner) # unknown line count; the backend scans 110 x 170 mm
    ref -l 0 -t 0 -x 110 -y 170 --resolution 50 --test-picture Grid --mode Gray >ref.pnm &&
        fsk -d test:0 --resolution 50 --mode gray --set test-picture=Grid \
            --set hand-scanner=yes -o out.png &&
        pixels compare out.png ref.pnm ;;
test_lineart) # 1-bit gray: 1 is black
    ref "${ref_area[@]}" --resolution 75 --test-picture Grid --mode Gray --depth 1 >ref.pnm &&
        fsk -d test:0 --resolution 75 --area 0,0,60,40 --set test-picture=Grid \
            --mode gray --set depth=1 -o out.png &&
        pixels compare out.png ref.pnm ;;
test_padded_lines) # bytes_per_line beyond the pixels: 5 pixels lost per line
    fsk -d test:0 "${fsk_pattern[@]}" --mode color -o full.png &&
        fsk -d test:0 "${fsk_pattern[@]}" --mode color --set ppl-loss=5 -o out.png &&
        pixels compare out.png full.png --crop-b 172 ;;
test_unaligned_reads) # reads of 7 bytes never end on a line
    ref "${ref_area[@]}" "${pattern[@]}" --mode Color >ref.pnm &&
        fsk -d test:0 "${fsk_pattern[@]}" --mode color --set read-limit=yes \
            --set read-limit-size=7 -o out.png &&
        pixels compare out.png ref.pnm ;;
*)
    echo "unknown case $case_name"
    exit 2 ;;
esac
