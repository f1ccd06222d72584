# --simplify: the default run is deterministic and has fewer triangles than
# --simplify 0, which changes no pixel; no pixel's color error grows by more
# than the tolerance (the report's mean can grow by at most that much).
mkdir a b off
for d in a b; do
    "$FILASTACK" -q convert -c "$DATA"/cal/reference_cmyw.json --width-mm 60 -o $d "$SRC"/samples/sunset.png
done
"$FILASTACK" -q convert -c "$DATA"/cal/reference_cmyw.json --width-mm 60 --simplify 0 -o off "$SRC"/samples/sunset.png
for f in a/*; do
    case $f in
    *_report.json) ;;
    *) cmp -s "$f" "b/${f#a/}" || echo "differs: $f" ;;
    esac
done
python3 -c "
import json
on, off = (json.load(open(d + '/sunset_report.json')) for d in ('a', 'off'))
print('pixels changed:', on['simplify']['pixels_changed'] > 0, off['simplify']['pixels_changed'])
print('fewer triangles:', on['totals']['triangles'] < off['totals']['triangles'])
print('corners removed:', on['simplify']['surface_corners_removed'] > 0)
print('mean error within 1:', on['color_error_de2000']['mean'] <= off['color_error_de2000']['mean'] + 1)
print('tolerance reported:', on['options']['simplify_de2000'], off['options']['simplify_de2000'])
"
