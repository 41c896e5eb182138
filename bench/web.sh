#!/usr/bin/env bash
# Web app benchmark (docs/benchmarks.md): bytes per view, time to an
# entity page's evidence, and frames per second dragging a 500-node
# neighbourhood, in Debian's chromium, on the seed plus a generated graph.
# ENTITIES and CLAIMS (default 100000 and 500000) set its size; DATA=DIR
# keeps the database there and reuses it on the next run.
set -euo pipefail
cd "$(dirname "$0")/.."
make -s web
EXPORTWATCH_TEST_NEO4J_HEAP=${EXPORTWATCH_TEST_NEO4J_HEAP:-2g} \
  go run ./bench/webbench -entities "${ENTITIES:-100000}" -claims "${CLAIMS:-500000}" -runs "${RUNS:-20}" ${DATA:+-data "$DATA"}
