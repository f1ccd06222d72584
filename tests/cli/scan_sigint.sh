# Ctrl-C (SIGINT) during a slow scan cancels it cleanly: exit 1, no file.
timeout 60 "$FILASTACK" scan -d test:0 --resolution 600 --set read-delay=yes \
    --set read-delay-duration=200000 -o out.png &
pid=$!
sleep 2
kill -INT $pid
wait $pid
status=$?
# What is left in the folder (run_case.sh keeps its .stdout and .stderr here).
find . -mindepth 1 ! -name .stdout ! -name .stderr
exit $status
