#!/usr/bin/env bash
# Export benchmark (docs/benchmarks.md): every export format, streamed from
# the bundled Neo4j holding the seed plus a generated graph, beside a bare
# stream of the same data. ENTITIES and CLAIMS (default 200000 and
# 1000000) set its size; loading a million claims takes several minutes.
# DATA=DIR keeps the database there and reuses it on the next run.
set -euo pipefail
cd "$(dirname "$0")/.."
EXPORTWATCH_TEST_NEO4J_HEAP=${EXPORTWATCH_TEST_NEO4J_HEAP:-2g} \
  go run ./bench/exportbench -entities "${ENTITIES:-200000}" -claims "${CLAIMS:-1000000}" ${DATA:+-data "$DATA"}
