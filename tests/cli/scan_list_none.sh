# An empty dll.conf: no backend, no scanner; the message says how to check.
SANE_CONFIG_DIR=$DATA/sane/none timeout 60 "$FILASTACK" scan --list
