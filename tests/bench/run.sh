#!/usr/bin/env bash
# run.sh [bench.py options] — the benchmark from a fresh clone: configures
# and builds the release preset, then runs tests/bench/bench.py, which
# prints JSON on stdout (also kept in build/release/bench/bench.json).
# Needs python3, node (the reference pipeline) and djpeg
# (libjpeg-turbo-progs): `bash tests/install-deps.sh bench`. The inputs are
# in ../shared beside the clone; FSK_SHARED=DIR points elsewhere.
set -euo pipefail
cd "$(dirname "$0")/../.."
shared=${FSK_SHARED:-$(pwd)/../shared}
cmake --preset release -DFILASTACK_SHARED_DIR="$shared" >&2
cmake --build --preset release -j 2 --target filastack fsk_refcal fsk_synth_photo >&2
exec python3 tests/bench/bench.py --filastack build/release/filastack \
    --refcal build/release/tests/bench/fsk_refcal \
    --synth build/release/tests/bench/fsk_synth_photo \
    --shared "$shared" --work build/release/bench "$@"
