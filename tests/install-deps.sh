#!/usr/bin/env bash
# install-deps.sh build|test|bench — installs the Debian 12 packages
# filastack needs to build (build), to build and run its whole test suite
# (test), or to run the benchmark, tests/bench/run.sh (bench).
# Does nothing when they are all installed, so it is safe to run again.
set -euo pipefail

build_pkgs=(build-essential cmake pkg-config libpng-dev libjpeg-dev libxml2-dev
            libcjson-dev zlib1g-dev libsane-dev)
test_pkgs=(admesh prusa-slicer xvfb xauth mandoc groff sane-utils libsane1 unzip libxml2-utils
           libjpeg-turbo-progs python3)
bench_pkgs=(python3 nodejs libjpeg-turbo-progs)

case "${1:-}" in
build) pkgs=("${build_pkgs[@]}") ;;
test) pkgs=("${build_pkgs[@]}" "${test_pkgs[@]}") ;;
bench) pkgs=("${build_pkgs[@]}" "${bench_pkgs[@]}") ;;
*) echo "usage: $0 build|test|bench" >&2; exit 2 ;;
esac

missing=()
for p in "${pkgs[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
        missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=()
[ "$(id -u)" -eq 0 ] || sudo=(sudo)
echo "installing: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" </dev/null
