#!/usr/bin/env bash
# examples_run.sh BINARY SOURCE_DIR — runs every example of the man pages
# (the lines of EXAMPLES that start with "filastack") and of README.md (the
# lines of ```sh blocks under "## Usage" that start with "filastack"), in
# order, each page in its own folder that starts with a copy of the sample
# images of samples/ (so examples can name sunset.png); every example must
# exit 0.
set -u
bin=$1
src=$2
status=0
count=0
bindir=$(mktemp -d)
ln -s "$bin" "$bindir/filastack"
export PATH="$bindir:$PATH"
trap 'rm -rf "$bindir"' EXIT

run_examples() { # NAME, examples on stdin
    local name=$1 work
    work=$(mktemp -d)
    cp "$src"/samples/*.png "$work"/
    while IFS= read -r line; do
        count=$((count + 1))
        if ! (cd "$work" && bash -c "$line") >/dev/null 2>"$work/.err"; then
            echo "$name: example failed: $line"
            cat "$work/.err"
            status=1
        fi
    done
    rm -rf "$work"
}

for page in "$src"/man/*.[1-9]; do
    run_examples "$(basename "$page")" < <(
        sed -n '/^\.Sh EXAMPLES/,/^\.Sh /p' "$page" |
            sed -n 's/^\.Dl //p; /^\.Bd/,/^\.Ed/{/^filastack /p}' | grep '^filastack ')
done
run_examples README.md < <(
    sed -n '/^## Usage/,/^## [^U]/p' "$src/README.md" |
        sed -n '/^```sh/,/^```$/p' | grep '^filastack ')
echo "$count examples run"
[ "$count" -gt 0 ] || status=1
exit $status
