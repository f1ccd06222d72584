# --set with an option the scanner does not have.
timeout 60 "$FILASTACK" scan -d test:0 --set no-such-option=1 -o out.png
status=$?
# What is left in the folder (run_case.sh keeps its .stdout and .stderr here).
find . -mindepth 1 ! -name .stdout ! -name .stderr
exit $status
