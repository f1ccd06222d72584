#!/usr/bin/env bash
# lint.sh PAGE — the page must lint clean with mandoc and groff.
set -u
page=$1
status=0
out=$(mandoc -T lint -W warning "$page" 2>&1) || status=1
[ -n "$out" ] && { echo "$out"; status=1; }
out=$(groff -ww -z -mdoc "$page" 2>&1) || status=1
[ -n "$out" ] && { echo "$out"; status=1; }
exit $status
