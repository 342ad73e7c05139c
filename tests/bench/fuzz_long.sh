#!/usr/bin/env bash
# Long fuzz runs, for numbers to quote: every target (or those named) for a number of runs or a
# time, one after the other, each on its own copy of the seeds plus what earlier long runs found
# (build-asan/tests/fuzz-long/<target>/corpus). Prints per target the runs executed, what it
# found (a crash, leak, timeout or out-of-memory stops that target; the input is kept beside its
# log) and libFuzzer's final coverage line. Needs the sanitizer build (deploy/test-sanitizers.sh).
#   tests/bench/fuzz_long.sh                      10,000,000 runs each
#   tests/bench/fuzz_long.sh --runs 1000000 json records
#   tests/bench/fuzz_long.sh --seconds 600        ten minutes each
set -euo pipefail
cd "$(dirname "$0")/../.."
limit=(-runs=10000000)
wanted_runs=10000000
case "${1:-}" in
  --runs) limit=(-runs="$2"); wanted_runs=$2; shift 2 ;;
  --seconds) limit=(-max_total_time="$2"); wanted_runs=; shift 2 ;;
esac
build=${BUILD_DIR:-build-asan}
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  for dir in tests/fuzz/corpus/*/; do targets+=("$(basename "$dir")"); done
fi
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:check_initialization_order=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$PWD/tests/sanitizers/lsan.supp:print_suppressions=0}

printf '%-16s %12s %8s %8s  %s\n' target runs found stalled "final coverage"
failed=0
# libFuzzer's -timeout counts wall time, so a run niced beside builds can be starved past it on
# an input that is fast. Such an input is replayed alone: when it finishes in time it was a stall,
# not a slow input; it is kept in stalled/ and the run goes on for the runs that are left.
replays_in_time() {
  "$1" -timeout=10 -rss_limit_mb=2048 "$2" >/dev/null 2>&1
}

for target in "${targets[@]}"; do
  binary=$build/tests/fuzz/${target}_fuzz
  work=$build/tests/fuzz-long/$target
  mkdir -p "$work/corpus"
  cp -R "tests/fuzz/corpus/$target/." "$work/corpus/"
  rm -rf "$work"/crash-* "$work"/leak-* "$work"/timeout-* "$work"/oom-* "$work/stalled"
  runs=0
  for attempt in 1 2 3 4 5; do
    this=("${limit[@]}")
    [ -n "$wanted_runs" ] && this=(-runs=$((wanted_runs - runs)))
    status=0
    "$binary" "${this[@]}" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
      -artifact_prefix="$work/" "$work/corpus" >"$work/log" 2>&1 || status=$?
    done_now=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/log" | tail -1)
    runs=$((runs + ${done_now:-0}))
    stalls=0
    for timeout in "$work"/timeout-*; do
      [ -e "$timeout" ] && replays_in_time "$binary" "$timeout" || continue
      mkdir -p "$work/stalled" && mv "$timeout" "$work/stalled/" && stalls=$((stalls + 1))
    done
    others=$(find "$work" -maxdepth 1 \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' \
               -o -name 'oom-*' \) | wc -l)
    # Go on only after stalls alone, in runs mode, with runs left.
    [ "$stalls" -gt 0 ] && [ "$others" -eq 0 ] && [ -n "$wanted_runs" ] &&
      [ "$runs" -lt "$wanted_runs" ] || break
  done
  coverage=$(grep -E '^#[0-9]+' "$work/log" | tail -1 | sed 's/ *lim:.*//')
  found=$others
  [ "$status" -ne 0 ] && [ "$found" -eq 0 ] && [ "$stalls" -eq 0 ] && found="exit $status"
  [ "$found" != 0 ] && failed=1
  stalled=$(find "$work" -path "$work/stalled/*" -type f | wc -l)
  printf '%-16s %12s %8s %8s  %s\n' "$target" "$runs" "$found" "$stalled" "$coverage"
done
echo "logs and findings: $build/tests/fuzz-long/<target>/"
exit $failed
