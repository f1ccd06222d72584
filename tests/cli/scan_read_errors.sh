# Every sane_read fails with the status the test backend is told to return:
# one clear line each, exit 1, and no file (nor temporary file) left.
# The test backend cancels its reader thread asynchronously; canceled inside
# malloc, that thread deadlocks in sane_cancel (about 1 run in 30), so a run
# killed by timeout is retried; only the last try's messages are kept (a
# killed run may already have printed its error before hanging).
scan() {
    local try status
    for try in 1 2 3; do
        timeout 20 "$FILASTACK" scan "$@" 2>.try.err
        status=$?
        [ "$status" = 124 ] || break
    done
    cat .try.err >&2
    rm -f .try.err
    return "$status"
}
for s in JAMMED IO_ERROR NO_DOCS DEVICE_BUSY COVER_OPEN ACCESS_DENIED NO_MEM; do
    scan -d test:0 --resolution 20 --set "read-return-value=SANE_STATUS_$s" -o out.png
    echo "$s: exit $?, files: $(find . -mindepth 1 ! -name .stdout ! -name .stderr)"
done
