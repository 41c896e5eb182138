#!/usr/bin/env bash
# Prints the foundation's figures (see docs/benchmarks.md):
#  1. the bundled Neo4j: start time on an empty data directory and on one
#     holding the seed, and resident memory after loading the seed;
#  2. the writer: claims/s loading a generated file through the real path,
#     beside a bare UNWIND … CREATE of the same rows in the same run;
#  3. the scrapers' parse and crawl throughput;
#  4. report extraction: sentences/s of the parsed extractor beside the
#     pattern extractor, on the pages of rounds 1 to 4;
#  5. the exports: every format from a generated graph, beside bare JSON
#     lines of the same data, with the peak live heap;
#  6. the API against a peer, @neo4j/graphql 7 (bench/peer.sh).
# CLAIMS (default 100000) sets the size of the generated file; the peer's
# graph is PEER_ENTITIES and PEER_CLAIMS (default 10000 and 50000).
set -euo pipefail
cd "$(dirname "$0")/.."
make -s build

tmp=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
export EXPORTWATCH_DATA_DIR="$tmp" EXPORTWATCH_NEO4J_BOLT_ADDR="127.0.0.1:$port"
unset NEO4J_URI
trap 'bin/exportwatch neo4j stop >/dev/null 2>&1 || true; rm -rf "$tmp"' EXIT

echo "== bundled Neo4j"
bin/exportwatch neo4j start | sed 's/^/cold start: /'
bin/exportwatch seed >/dev/null
pid=$(head -1 "$tmp/neo4j.pid")
echo "resident memory with the seed loaded: $(awk '/VmRSS/ {printf "%.0f MiB", $2/1024}' /proc/$pid/status)"
bin/exportwatch neo4j stop >/dev/null
bin/exportwatch neo4j start | sed 's/^/start with the seed on disk: /'
bin/exportwatch neo4j stop >/dev/null

echo
echo "== writer (${CLAIMS:-100000} claims; claims/s, baseline claims/s, ratio)"
EXPORTWATCH_TEST_NEO4J_HEAP=2g EXPORTWATCH_BENCH_CLAIMS="${CLAIMS:-100000}" \
  go test -run '^$' -bench Writer -benchtime 1x -timeout 60m ./load | grep -E '^Benchmark'

echo
echo "== scrapers: parse throughput per source (MB/s, claims/s) and a 2,000-page crawl (collector vs bare net/http)"
go test -run '^$' -bench Parse -benchtime 2s ./scrapers/... | grep -E '^(Benchmark|ok)'
go test -run '^$' -bench Crawl -benchtime 3x ./scrapers | grep -E '^Benchmark'

echo
echo "== report extraction on the pages of rounds 1 to 4 (sentences/s; the parsed extractor's ratio to the patterns)"
go test -run '^$' -bench Extractors -benchtime 5x ./scrapers/report | awk '
  /^BenchmarkExtractors/ { for (i = 1; i < NF; i++) if ($(i+1) == "sentences/s") rate[$1] = $i; print }
  END { for (k in rate) if (k ~ /parsed/) p = rate[k]; else if (k ~ /patterns/) b = rate[k];
        if (b > 0) printf "parsed / patterns: %.3f\n", p / b }'

echo
echo "== exports: a generated graph of ${EXPORT_CLAIMS:-1000000} claims in every format (items/s, ratio to bare JSON lines, peak live heap)"
EXPORTWATCH_BENCH_EXPORT_CLAIMS="${EXPORT_CLAIMS:-1000000}" \
  go test -run '^$' -bench Export -benchtime 1x -timeout 30m ./export | grep -E '^Benchmark'
echo "(bench/export.sh measures the same from a real Neo4j holding a million claims; it takes several minutes to load)"

echo
echo "== the API against a peer: @neo4j/graphql 7 on Apollo Server 5, the same questions on the same Neo4j (p50, p99, q/s; then 1 to 128 clients)"
ENTITIES="${PEER_ENTITIES:-10000}" CLAIMS="${PEER_CLAIMS:-50000}" bench/peer.sh
