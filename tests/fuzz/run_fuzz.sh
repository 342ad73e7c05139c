#!/usr/bin/env bash
# ctest's runner for one fuzz target: run_fuzz.sh BINARY SEED_CORPUS WORK_DIR SECONDS.
# The seeds are copied into WORK_DIR/corpus (what earlier runs found there is kept), so the
# corpus in the source tree is never written to; crash, leak, timeout and oom inputs go to
# WORK_DIR. The exit status is libFuzzer's: 0 only when the time ran out with nothing found.
set -euo pipefail
binary=$1 seeds=$2 work=$3 seconds=$4
mkdir -p "$work/corpus"
cp -R "$seeds/." "$work/corpus/"
exec "$binary" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
  -print_final_stats=1 -artifact_prefix="$work/" "$work/corpus"
