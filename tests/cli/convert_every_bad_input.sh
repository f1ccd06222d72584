# Every corrupt, truncated or oversized input fails alone: one error line
# naming the file, exit 1, and nothing written.
set -u
cal=$DATA/cal/reference_cmyw.json
status=0
for f in "$DATA"/images/bad_*; do
    err=$("$FILASTACK" convert -c "$cal" --width-mm 12 --pixel-mm 1 "$f" 2>&1 >/dev/null)
    code=$?
    lines=$(printf '%s\n' "$err" | wc -l)
    [ $code = 1 ] || { echo "$(basename "$f"): exit $code"; status=1; }
    [ "$lines" = 1 ] || { echo "$(basename "$f"): $lines error lines"; status=1; }
    case $err in
    "filastack: error: cannot read '$f': "*) ;;
    *) echo "$(basename "$f"): unexpected message: $err"; status=1 ;;
    esac
done
# (.stdout and .stderr are the test harness's own.)
left=$(ls -A | grep -vx '\.stdout\|\.stderr')
[ -z "$left" ] || { echo "files were written: $left"; status=1; }
exit $status
