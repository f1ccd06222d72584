#!/usr/bin/env bash
# options_match_help.sh BINARY MANDIR — each command's --help and its man
# page (filastack-WORD.1 for "WORD ...") list the same long options, every
# command has a page, and no page documents an option no command has.
set -u
bin=$1
mandir=$2
status=0

# The command names: the 20-column first field of the "commands:" block.
commands() {
    "$bin" --help | sed -n '/^commands:/,/^$/p' | sed -n '2,$p' | cut -c3-22 |
        sed 's/ *$//' | grep .
}
long_options_in_help() { "$bin" "$@" --help | grep -oE -- '--[a-z0-9-]+' | sort -u; }
long_options_in_page() {
    grep -E -- '^\.It Fl ' "$1" | grep -oE -- 'Fl -[a-z0-9-]+' | sed 's/^Fl -/--/' | sort -u
}

all_help=$(mktemp)
trap 'rm -f "$all_help"' EXIT
while IFS= read -r cmd; do
    page="$mandir/filastack-${cmd%% *}.1"
    # shellcheck disable=SC2086
    help_opts=$(long_options_in_help $cmd)
    echo "$help_opts" >>"$all_help"
    if [ ! -f "$page" ]; then
        echo "no man page for 'filastack $cmd' (expected $page)"
        status=1
        continue
    fi
    missing=$(comm -23 <(echo "$help_opts") <(long_options_in_page "$page"))
    if [ -n "$missing" ]; then
        echo "'filastack $cmd --help' lists options that $page does not:" $missing
        status=1
    fi
done < <(commands)

for page in "$mandir"/filastack-*.1; do
    extra=$(comm -13 <(sort -u "$all_help") <(long_options_in_page "$page"))
    if [ -n "$extra" ]; then
        echo "$page documents options that no command has:" $extra
        status=1
    fi
done
[ "$status" = 0 ] && echo "$(commands | wc -l) commands: help and man pages agree"
exit $status
