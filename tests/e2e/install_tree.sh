#!/usr/bin/env bash
# install_tree.sh BUILD_DIR — `cmake --install` into a temporary prefix
# installs the binary, every man page and the profiles, and the installed
# binary, run from elsewhere, finds its profiles and bundled calibration.
set -u
build=$1
prefix=$(mktemp -d)
trap 'rm -rf "$prefix"' EXIT
cmake --install "$build" --prefix "$prefix" >/dev/null || exit 1
status=0
for page in "$(dirname "$0")"/../../man/*.[1-9]; do
    section=${page##*.}
    [ -f "$prefix/share/man/man$section/$(basename "$page")" ] ||
        { echo "not installed: $(basename "$page")"; status=1; }
done
cd "$prefix" || exit 1
out=$(FILASTACK_PROFILES_DIR= "$prefix/bin/filastack" -v profiles list 2>&1) || status=1
case $out in
*"profiles from '$prefix/bin/../share/filastack/profiles'"*) ;;
*) echo "installed binary does not use the installed profiles:"; echo "$out" | head -3; status=1 ;;
esac
"$prefix/bin/filastack" -q convert --width-mm 30 -o "$prefix" \
    "$(cd "$(dirname "$0")"/../../samples && pwd)/mushroom.png" || status=1
[ -f "$prefix/mushroom.3mf" ] || { echo "installed convert wrote no 3MF"; status=1; }
[ $status = 0 ] && echo "installed tree works"
exit $status
