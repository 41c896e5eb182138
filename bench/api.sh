#!/usr/bin/env bash
# API benchmark (docs/benchmarks.md): six GraphQL queries over HTTP against
# hand-written Cypher, on the seed plus a generated graph. ENTITIES and
# CLAIMS (default 100000 and 500000) set its size; loading it takes minutes.
# DATA=DIR keeps the database there and reuses it on the next run.
set -euo pipefail
cd "$(dirname "$0")/.."
EXPORTWATCH_TEST_NEO4J_HEAP=${EXPORTWATCH_TEST_NEO4J_HEAP:-2g} \
  go run ./bench/apibench -entities "${ENTITIES:-100000}" -claims "${CLAIMS:-500000}" -n "${N:-100}" ${DATA:+-data "$DATA"}
