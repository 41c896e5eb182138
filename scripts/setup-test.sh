#!/usr/bin/env bash
# The README's set-up, tried in a fresh clone of HEAD (what is committed;
# CI's checkout is exactly that) in a scratch directory, on a PATH from which poppler (pdftotext, pdftoppm) is hidden:
#   1. make doctor says poppler is missing and names its Debian package;
#   2. make deps-test as a user who may not install prints the exact
#      apt-get command and stops;
#   3. make deps-test installs it: a stand-in apt-get, which records what
#      it was asked and brings the machine's poppler into the PATH;
#   4. make doctor then finds everything, and poppler's tools run from
#      the PATH the tests get;
#   5. make run builds, starts the bundled Neo4j, loads the seed and
#      serves, and answers a GraphQL query; Ctrl-C stops it and Neo4j.
# `make test` runs it; a failing step prints what it saw.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD

for tool in pdftotext pdftoppm; do
  if ! command -v "$tool" >/dev/null; then
    echo "setup-test: $tool is not installed on this machine; run make deps-test first" >&2
    exit 1
  fi
done
real_bin=$(dirname "$(command -v pdftotext)")

scratch=$(mktemp -d)
server_pid=
cleanup() {
  # make run's whole group (make, the binary, Neo4j) is stopped, as
  # Ctrl-C would, then killed if it lingers, before its data goes.
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill -INT -- "-$server_pid" 2>/dev/null || true
    for _ in $(seq 1 40); do
      kill -0 "$server_pid" 2>/dev/null || break
      sleep 0.5
    done
    kill -KILL -- "-$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$scratch"
}
trap cleanup EXIT

fail() {
  echo "setup-test FAILED: $1" >&2
  [ -f "$scratch/out" ] && sed 's/^/  | /' "$scratch/out" >&2
  exit 1
}

# A PATH holding everything the machine's PATH does except poppler's tools.
mkdir -p "$scratch/bin" "$scratch/fake"
IFS=: read -r -a dirs <<<"$PATH"
for d in "${dirs[@]}"; do
  [ -d "$d" ] || continue
  for f in "$d"/*; do
    name=${f##*/}
    case $name in pdftotext | pdftoppm) continue ;; esac
    [ -x "$f" ] && [ ! -e "$scratch/bin/$name" ] && ln -s "$f" "$scratch/bin/$name"
  done
done
hidden=$scratch/bin

# The stand-in apt-get: what a real one would do for poppler-utils, on the
# hidden PATH, without touching the machine.
cat >"$scratch/fake/apt-get" <<EOF
#!/usr/bin/env bash
echo "\$*" >>"$scratch/apt.log"
if [ "\$1" = install ]; then
  for p in "\$@"; do
    if [ "\$p" = poppler-utils ]; then
      ln -sf "$real_bin/pdftotext" "$hidden/pdftotext"
      ln -sf "$real_bin/pdftoppm" "$hidden/pdftoppm"
    fi
  done
fi
EOF
chmod +x "$scratch/fake/apt-get"

git clone -q "$repo" "$scratch/clone"
cd "$scratch/clone"
# The clone shares the machine's caches (Go, Maven, npm), as a second
# checkout on one machine would; -trimpath keeps the scratch directory out
# of the build, so its Go build is cached from one run to the next.
export PATH=$hidden GOFLAGS="${GOFLAGS:+$GOFLAGS }-trimpath"

echo "setup-test: make doctor without poppler"
if make -s doctor >"$scratch/out" 2>&1; then fail "make doctor passed with pdftotext hidden"; fi
grep -q "MISSING  pdftotext .*poppler-utils" "$scratch/out" || fail "make doctor did not name pdftotext and poppler-utils"

echo "setup-test: make deps-test by a user who may not install"
if DEPS_INSTALL=print make -s deps-test >"$scratch/out" 2>&1; then fail "deps-test passed with poppler missing"; fi
grep -q "sudo apt-get install -y --no-install-recommends poppler-utils" "$scratch/out" || fail "deps-test did not print the apt-get command"

echo "setup-test: make deps-test installs poppler-utils"
DEPS_INSTALL=apt APT_GET="$scratch/fake/apt-get" make -s deps-test >"$scratch/out" 2>&1 || fail "deps-test failed"
grep -qx "install -y -qq --no-install-recommends poppler-utils" "$scratch/apt.log" || fail "apt-get was not asked for poppler-utils alone: $(cat "$scratch/apt.log")"
make -s doctor >"$scratch/out" 2>&1 || fail "make doctor still finds something missing"

pdftotext -v >"$scratch/out" 2>&1 || fail "pdftotext does not run after deps-test"
pdftoppm -v >"$scratch/out" 2>&1 || fail "pdftoppm does not run after deps-test"

echo "setup-test: make run"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
addr=127.0.0.1:$(free_port) && bolt=127.0.0.1:$(free_port) || fail "no free port on loopback"
# setsid: make, the binary and the JVM form a group of their own, as in a
# terminal, so Ctrl-C (SIGINT to the group) reaches them all.
# The quick compiler only, as the tests run Neo4j: less CPU taken from the
# unit tests that run beside this.
# The bundled Neo4j, whatever this machine's settings say.
unset NEO4J_URI NEO4J_USER NEO4J_PASSWORD NEO4J_DATABASE
EXPORTWATCH_NEO4J_JVM_OPTIONS=-XX:TieredStopAtLevel=1 EXPORTWATCH_ADDR=$addr EXPORTWATCH_NEO4J_BOLT_ADDR=$bolt EXPORTWATCH_DATA_DIR="$scratch/data" \
  setsid make run >"$scratch/out" 2>&1 &
server_pid=$!
answer=
# Up to five minutes: the scratch clone's build compiles everything again
# (the build cache is keyed by path), beside the unit tests on two cores.
for _ in $(seq 1 600); do
  if answer=$(curl -sf "http://$addr/graphql" -H 'content-type: application/json' \
    -d '{"query":"{ entity(id: \"company/sandvine\") { name } }"}' 2>/dev/null); then
    break
  fi
  kill -0 "$server_pid" 2>/dev/null || fail "make run exited"
  sleep 0.5
done
echo "$answer" | grep -q '"name":"Sandvine' || fail "make run did not serve the seed: $answer"
kill -INT -- "-$server_pid"
for _ in $(seq 1 60); do
  kill -0 "$server_pid" 2>/dev/null || break
  sleep 0.5
done
if kill -0 "$server_pid" 2>/dev/null; then fail "make run did not stop on Ctrl-C"; fi
wait "$server_pid" 2>/dev/null || true
server_pid=
if [ -f "$scratch/data/neo4j.pid" ] && kill -0 "$(head -1 "$scratch/data/neo4j.pid")" 2>/dev/null; then
  fail "Neo4j still runs after Ctrl-C"
fi
echo "setup-test: ok"
