#!/usr/bin/env bash
# Runs npm scripts side by side (the static checks are single-threaded each: on 2 cores two at a
# time take about half as long). Each script's output is printed whole when it ends, in order of
# finishing; exits non-zero when any of them failed, naming it.
# usage: bash scripts/parallel.sh JOBS script [script ...]
set -uo pipefail
jobs_max="$1"
shift
dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT
declare -A pids=()
failed=()
finish() {
  local name="$1" pid="${pids[$1]}"
  if wait "$pid"; then echo "== $name: ok ($(cat "$dir/$name.time")s)"; else failed+=("$name"); echo "== $name: FAILED"; fi
  cat "$dir/$name.log"
  unset "pids[$name]"
}
for name in "$@"; do
  while [ "${#pids[@]}" -ge "$jobs_max" ]; do
    wait -n 2>/dev/null || true
    for n in "${!pids[@]}"; do kill -0 "${pids[$n]}" 2>/dev/null || finish "$n"; done
  done
  (start=$SECONDS; npm run --silent "$name" >"$dir/$name.log" 2>&1; rc=$?; echo $((SECONDS - start)) >"$dir/$name.time"; exit $rc) &
  pids[$name]=$!
done
for n in "${!pids[@]}"; do finish "$n"; done
if [ "${#failed[@]}" -gt 0 ]; then
  echo "== failed: ${failed[*]}"
  exit 1
fi
