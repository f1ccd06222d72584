#!/usr/bin/env bash
# run-all.sh — the whole test suite, as the README's quick start and CI run
# it: installs what the tests need, builds with warnings as errors, runs
# every test, then builds and runs the suite again under ASan and UBSan.
set -euo pipefail
cd "$(dirname "$0")/.."

bash tests/install-deps.sh test

for preset in ci asan; do
    echo "== $preset: configure, build, test" >&2
    cmake --preset "$preset" >/dev/null
    cmake --build --preset "$preset" -j 2
    ctest --preset "$preset"
done
