# int-inexact answers SANE_INFO_INEXACT and adds one: the value used is reported.
timeout 60 "$FILASTACK" scan -d test:0 --resolution 10 --set enable-test-options=yes \
    --set int-inexact=5 -o out.png
status=$?
# What is left in the folder (run_case.sh keeps its .stdout and .stderr here).
find . -mindepth 1 ! -name .stdout ! -name .stderr
exit $status
