# Ctrl-C (SIGINT) during a slow scan cancels it cleanly: exit 1, no file.
timeout 60 "$FILASTACK" scan -d test:0 --resolution 600 --set read-delay=yes \
    --set read-delay-duration=200000 -o out.png &
pid=$!
# Interrupt only once filastack catches SIGINT (bit 2 of SigCgt in /proc),
# so a slow start on a loaded machine cannot make the test race.
for _ in $(seq 300); do
    child=$(pgrep -P $pid | head -n 1)
    if [ -n "$child" ]; then
        mask=$(sed -n 's/^SigCgt:\s*//p' /proc/$child/status 2>/dev/null)
        [ -n "$mask" ] && [ $(( 0x$mask & 2 )) -ne 0 ] && break
    fi
    sleep 0.1
done
sleep 0.5
kill -INT $pid
wait $pid
status=$?
# What is left in the folder (run_case.sh keeps its .stdout and .stderr here).
find . -mindepth 1 ! -name .stdout ! -name .stderr
exit $status
