#!/usr/bin/env bash
# 200 clients at once (docs/reliability.md): a separate `exportwatch serve`
# on the seed plus a generated graph in a fresh bundled Neo4j, loaded for
# DURATION (default 60s) by CLIENTS (default 200) sending the API
# benchmark's six queries, first with the rate limit off, then with the
# default one. Exits non-zero on any error, or when the server's heap or
# goroutines do not come back to their baseline. ENTITIES and CLAIMS
# (default 10000 and 50000) set the generated graph; DATA=DIR keeps the
# database there and reuses it on the next run.
set -euo pipefail
cd "$(dirname "$0")/.."
make -s build
# Neo4j gets the heap and page cache `make run` gives it, and the JVM's
# full compiler, rather than the tests' small settings.
EXPORTWATCH_TEST_NEO4J_HEAP=${EXPORTWATCH_TEST_NEO4J_HEAP:-1g} \
  go run ./bench/load -bin bin/exportwatch -clients "${CLIENTS:-200}" -duration "${DURATION:-60s}" \
  -entities "${ENTITIES:-10000}" -claims "${CLAIMS:-50000}" ${DATA:+-data "$DATA"}
