#!/usr/bin/env bash
# Fails when git tracks a file over 1 MiB outside a testdata folder: build
# outputs and binaries belong in .gitignore, and large fixtures in testdata.
set -euo pipefail
cd "$(dirname "$0")/.."
limit=$((1 << 20))
big=()
while IFS= read -r -d '' f; do
  case "/$f" in */testdata/*) continue ;; esac
  [ -f "$f" ] || continue # deleted in the work tree
  size=$(stat -c %s "$f")
  if [ "$size" -gt "$limit" ]; then
    big+=("$f ($size bytes)")
  fi
done < <(git ls-files -z)
if [ ${#big[@]} -gt 0 ]; then
  echo "tracked files over 1 MiB outside testdata/ (ignore build outputs, move fixtures to testdata/):" >&2
  printf '  %s\n' "${big[@]}" >&2
  exit 1
fi
