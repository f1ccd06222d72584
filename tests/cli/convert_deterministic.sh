# Two runs give byte-identical files (the report but for its timings).
mkdir a b
"$FILASTACK" -q convert -c "$DATA"/cal/reference_cmyw.json --width-mm 40 --dither floyd-steinberg -o a "$SRC"/samples/badge.png
"$FILASTACK" -q convert -c "$DATA"/cal/reference_cmyw.json --width-mm 40 --dither floyd-steinberg -o b "$SRC"/samples/badge.png
for f in a/*; do
    case $f in
    *_report.json)
        python3 -c "
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:])
del a['timings_ms'], b['timings_ms']
sys.exit(a != b)" "$f" "b/${f#a/}" || echo "differs: $f" ;;
    *) cmp -s "$f" "b/${f#a/}" || echo "differs: $f" ;;
    esac
done
ls a | wc -l
