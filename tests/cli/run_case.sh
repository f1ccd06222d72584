#!/usr/bin/env bash
# run_case.sh BINARY CASE.sh — one golden command-line test.
#
# Runs CASE.sh with $FILASTACK set to the binary, in a new empty folder, and
# compares its exit status with CASE.exit and its stderr with CASE.stderr
# (and its stdout with CASE.stdout when that file exists). Paths are
# normalised first: the source tree becomes $SRC, the work folder $TMP.
set -u
bin=$1
case_file=$2
base=${case_file%.sh}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

export FILASTACK=$bin
export SRC=${FSK_SOURCE_DIR:?}
export DATA=${FSK_TEST_DATA:?}
( cd "$work" && bash "$case_file" ) >"$work/.stdout" 2>"$work/.stderr" </dev/null
status=$?

normalise() { sed -e "s|$SRC|\$SRC|g" -e "s|$work|\$TMP|g" "$1"; }

fail=0
want_status=$(cat "$base.exit")
if [ "$status" != "$want_status" ]; then
    echo "exit status $status, expected $want_status"
    fail=1
fi
if ! diff -u "$base.stderr" <(normalise "$work/.stderr"); then
    echo "stderr differs from $base.stderr"
    fail=1
fi
if [ -f "$base.stdout" ] && ! diff -u "$base.stdout" <(normalise "$work/.stdout"); then
    echo "stdout differs from $base.stdout"
    fail=1
fi
exit $fail
