#!/usr/bin/env bash
# readme_quickstart.sh SOURCE_DIR — the README's quick start holds exactly two
# commands, and .ci/run runs the second one (the test command).
set -u
src=$1
block=$(sed -n '/^## Quick start/,/^## /p' "$src/README.md" | sed -n '/^```sh$/,/^```$/p' | grep -v '^```')
lines=$(printf '%s\n' "$block" | grep -c .)
if [ "$lines" != 2 ]; then
    echo "quick start has $lines commands, expected 2"; exit 1
fi
test_cmd=$(printf '%s\n' "$block" | sed -n 2p)
if ! grep -qxF "$test_cmd" "$src/.ci/run"; then
    echo ".ci/run does not run the README's test command: $test_cmd"; exit 1
fi
echo "quick start: 2 commands; .ci/run runs '$test_cmd'"
