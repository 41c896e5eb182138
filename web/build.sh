#!/usr/bin/env bash
# Builds what the binary embeds (package web) from the npm packages pinned
# in package-lock.json; nothing is fetched from a CDN at run time.
#
#   web/build.sh deps   npm ci, then GraphiQL's assets (not committed)
#   web/build.sh app    the web app's bundle from app/src (committed, so a
#                       plain `go build` serves it; make lint rebuilds it
#                       and fails when it differs from what is committed)
#   web/build.sh check  type-check the app's TypeScript
#
# npm keeps its downloads in ~/.npm, so later runs are offline.
set -euo pipefail
cd "$(dirname "$0")"
if ! command -v npm >/dev/null 2>&1; then
  echo "web/build.sh: npm is missing; 'make deps-run' installs it (Debian package npm)" >&2
  exit 1
fi

deps() {
  npm ci --prefer-offline --ignore-scripts --no-audit --no-fund --loglevel=error
  local out=graphiql/vendor
  rm -rf "$out" && mkdir -p "$out"
  # Gzipped once here, so the server sends them as they are to every
  # browser that accepts gzip (package web unpacks them for the rest).
  gzip -9n < node_modules/graphiql/graphiql.min.js > "$out/graphiql.min.js.gz"
  gzip -9n < node_modules/graphiql/graphiql.min.css > "$out/graphiql.min.css.gz"
  gzip -9n < node_modules/react/umd/react.production.min.js > "$out/react.production.min.js.gz"
  gzip -9n < node_modules/react-dom/umd/react-dom.production.min.js > "$out/react-dom.production.min.js.gz"
  # The licences travel with the code they cover (served by nobody, kept
  # beside the build for whoever ships the binary).
  for p in graphiql react react-dom; do
    cp "node_modules/$p/LICENSE" "$out/LICENSE.$p"
  done
  touch "$out/.built"
}

app() {
  [ -x node_modules/.bin/esbuild ] || deps
  # One ES module and one stylesheet; esbuild's output depends only on
  # its input and version, so a rebuild of unchanged sources is identical.
  # A view loaded on demand (the graph view and its cytoscape) is a chunk
  # of its own, named by its content's hash.
  rm -rf app/dist
  node_modules/.bin/esbuild app/src/main.tsx --bundle --minify --format=esm --target=es2020 \
    --jsx=automatic --jsx-import-source=preact --legal-comments=none --charset=utf8 \
    --splitting --chunk-names='chunks/[name]-[hash]' \
    --outdir=app/dist --entry-names=app --log-level=warning
  # The licences of what the bundle holds.
  { for p in preact cytoscape d3-geo d3-array topojson-client world-atlas i18n-iso-countries diacritics; do echo "== $p"; cat "node_modules/$p/LICENSE"; echo; done; } > app/dist/LICENSES.txt
}

check() {
  [ -x node_modules/.bin/tsc ] || deps
  node_modules/.bin/tsc -p tsconfig.json
}

case ${1:-} in
  deps) deps ;;
  app) app ;;
  check) check ;;
  *) echo "usage: web/build.sh deps|app|check" >&2; exit 2 ;;
esac
