#!/usr/bin/env bash
# Runs npm scripts side by side, at most JOBS at a time, in the order given. Each script's output is printed whole
# when it ends, in order of finishing, except a script named with a leading `+`, whose output streams as it runs
# (the long e2e tier). Exits non-zero when any of them failed, naming it.
# usage: bash scripts/parallel.sh JOBS [+]script [[+]script ...]
set -uo pipefail
jobs_max="$1"
shift
dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT
declare -A pids=()
declare -A live=()
failed=()
finish() {
  local name="$1" pid="${pids[$1]}"
  if wait "$pid"; then echo "== $name: ok ($(cat "$dir/$name.time")s)"; else failed+=("$name"); echo "== $name: FAILED"; fi
  [ -n "${live[$name]:-}" ] || cat "$dir/$name.log"
  unset "pids[$name]"
}
for arg in "$@"; do
  name="${arg#+}"
  while [ "${#pids[@]}" -ge "$jobs_max" ]; do
    wait -n 2>/dev/null || true
    for n in "${!pids[@]}"; do kill -0 "${pids[$n]}" 2>/dev/null || finish "$n"; done
  done
  if [ "$arg" != "$name" ]; then
    live[$name]=1
    (start=$SECONDS; npm run --silent "$name" 2>&1; rc=$?; echo $((SECONDS - start)) >"$dir/$name.time"; exit $rc) &
  else
    (start=$SECONDS; npm run --silent "$name" >"$dir/$name.log" 2>&1; rc=$?; echo $((SECONDS - start)) >"$dir/$name.time"; exit $rc) &
  fi
  pids[$name]=$!
done
while [ "${#pids[@]}" -gt 0 ]; do
  wait -n 2>/dev/null || true
  for n in "${!pids[@]}"; do kill -0 "${pids[$n]}" 2>/dev/null || finish "$n"; done
done
if [ "${#failed[@]}" -gt 0 ]; then
  echo "== failed: ${failed[*]}"
  exit 1
fi
