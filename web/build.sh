#!/usr/bin/env bash
# Builds the assets the binary embeds (package web) from the npm packages
# pinned in package-lock.json: nothing is fetched from a CDN at run time, and
# nothing built is committed. `make web` runs it when the lockfile or this
# script changes; npm keeps its downloads in ~/.npm, so later runs are offline.
set -euo pipefail
cd "$(dirname "$0")"
if ! command -v npm >/dev/null 2>&1; then
  echo "web/build.sh: npm is missing; 'make deps-run' installs it (Debian package npm)" >&2
  exit 1
fi
npm ci --prefer-offline --ignore-scripts --no-audit --no-fund --loglevel=error
out=graphiql/vendor
rm -rf "$out" && mkdir -p "$out"
# Gzipped once here, so the server sends them as they are to every browser
# that accepts gzip (package web unpacks them for the rest).
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
