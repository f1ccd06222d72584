# No scanner to scan with: the how-to-check message, and no file.
SANE_CONFIG_DIR=$DATA/sane/none timeout 60 "$FILASTACK" scan -o out.png
status=$?
# What is left in the folder (run_case.sh keeps its .stdout and .stderr here).
find . -mindepth 1 ! -name .stdout ! -name .stderr
exit $status
