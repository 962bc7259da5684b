#!/usr/bin/env bash
# Checks the layout's invariants (ARCHITECTURE.md): code on the page (src/page/) and code
# in the scoring worker (src/worker/) never import each other, only src/protocol.rs; the
# Parquet readers do not import what builds on them; and no Rust source file grows past
# MAX_LINES lines. Prints every breach; fails if any.
set -euo pipefail
cd "$(dirname "$0")/.."
MAX_LINES=900
status=0

# Lines of the files given that name module $1 through a path (comments left out).
uses() {
  local module=$1
  shift
  grep -rnHE "(crate|super)(::super)*::$module\b" "$@" | grep -vE '^[^:]+:[0-9]+:[[:space:]]*//' || true
}
for side in page:worker worker:page; do
  found=$(uses "${side#*:}" "src/${side%:*}")
  if [ -n "$found" ]; then
    echo "$found"
    echo "check-layout: src/${side%:*}/ imports the ${side#*:} (share types through src/protocol.rs)" >&2
    status=1
  fi
done
found=$(uses '(page|worker)' src/protocol.rs)
if [ -n "$found" ]; then
  echo "$found"
  echo "check-layout: src/protocol.rs imports one side; both sides import it" >&2
  status=1
fi

# Readers that one module builds on and that must not build on it back: the core's
# Parquet reader does not import JSONL's corpus, nor the worker's the streamed source.
for pair in crates/core/src/parquet:jsonl src/worker/parquet:source; do
  dir=${pair%:*}
  found=$(uses "${pair#*:}" "$dir.rs" $(ls -d "$dir" 2>/dev/null))
  if [ -n "$found" ]; then
    echo "$found"
    echo "check-layout: $dir imports ${pair#*:}, which imports it" >&2
    status=1
  fi
done

while read -r lines file; do
  if [ "$file" != total ] && [ "$lines" -gt "$MAX_LINES" ]; then
    echo "check-layout: $file has $lines lines (at most $MAX_LINES): split it by concern" >&2
    status=1
  fi
done < <(git ls-files -- '*.rs' | xargs wc -l)
exit $status
