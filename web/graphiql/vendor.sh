#!/usr/bin/env bash
# Refreshes the GraphiQL assets embedded in the binary (nothing is loaded
# from a CDN: the API must work on a machine with no internet). Run it when
# changing a version below; it needs npm and writes gzipped copies plus the
# licences into vendor/.
set -euo pipefail
cd "$(dirname "$0")"
GRAPHIQL=3.8.3 REACT=18.3.1
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "graphiql@$GRAPHIQL" "react@$REACT" "react-dom@$REACT" >/dev/null)
for p in "graphiql-$GRAPHIQL" "react-$REACT" "react-dom-$REACT"; do
  mkdir -p "$tmp/$p" && tar xzf "$tmp/$p.tgz" -C "$tmp/$p"
done
rm -rf vendor && mkdir vendor
gzip -9n < "$tmp/graphiql-$GRAPHIQL/package/graphiql.min.js" > vendor/graphiql.min.js.gz
gzip -9n < "$tmp/graphiql-$GRAPHIQL/package/graphiql.min.css" > vendor/graphiql.min.css.gz
gzip -9n < "$tmp/react-$REACT/package/umd/react.production.min.js" > vendor/react.production.min.js.gz
gzip -9n < "$tmp/react-dom-$REACT/package/umd/react-dom.production.min.js" > vendor/react-dom.production.min.js.gz
cp "$tmp/graphiql-$GRAPHIQL/package/LICENSE" vendor/LICENSE.graphiql
cp "$tmp/react-$REACT/package/LICENSE" vendor/LICENSE.react
cp "$tmp/react-dom-$REACT/package/LICENSE" vendor/LICENSE.react-dom
echo "graphiql $GRAPHIQL, react $REACT, react-dom $REACT" > vendor/VERSIONS
