#!/usr/bin/env bash
# The API against a peer (docs/benchmarks.md): @neo4j/graphql 7 served by
# Apollo Server 5 (bench/peer, its npm packages pinned by its lockfile)
# and this API, asked the same questions on one bundled Neo4j holding the
# seed plus a generated graph, answers checked to agree before anything is
# timed. ENTITIES and CLAIMS (default 10000 and 50000) set the graph's
# size; DATA=DIR keeps the database there and reuses it on the next run.
# N (default 100) timed rounds of each query; DURATION (default 10s) at
# each number of concurrent clients in CLIENTS (default 1,8,32,128).
set -euo pipefail
cd "$(dirname "$0")/.."
# npm says what it installed on stderr: stdout is the tables.
npm ci --prefix bench/peer --no-audit --no-fund --loglevel=error >&2
EXPORTWATCH_TEST_NEO4J_HEAP=${EXPORTWATCH_TEST_NEO4J_HEAP:-2g} \
  go run ./bench/peerbench -entities "${ENTITIES:-10000}" -claims "${CLAIMS:-50000}" -n "${N:-100}" \
  -duration "${DURATION:-10s}" -clients "${CLIENTS:-1,8,32,128}" ${DATA:+-data "$DATA"}
