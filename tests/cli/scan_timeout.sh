# A slow scan (13 MB at 64 KB per 0.2 s) stopped by --timeout: exit 1, no file.
timeout 60 "$FILASTACK" scan -d test:0 --resolution 600 --set read-delay=yes \
    --set read-delay-duration=200000 --timeout 1 -o out.png
status=$?
# What is left in the folder (run_case.sh keeps its .stdout and .stderr here).
find . -mindepth 1 ! -name .stdout ! -name .stderr
exit $status
