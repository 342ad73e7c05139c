#!/usr/bin/env bash
# The sanitizer stage of deploy/test.sh: builds everything again into build-asan/ with clang's
# AddressSanitizer and UBSan (CMake option GONGKAI_SANITIZE), runs the whole suite there (the
# integration tests start the sanitized server), then every libFuzzer target for
# GONGKAI_FUZZ_SECONDS seconds (default 60; two at a time, one per core). Any sanitizer report,
# leak or fuzzer finding fails it; fuzzer findings are left in build-asan/tests/fuzz/<target>/.
set -euo pipefail
cd "$(dirname "$0")/.."
cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DGONGKAI_SANITIZE=ON \
  -DGONGKAI_FUZZ_SECONDS="${GONGKAI_FUZZ_SECONDS:-60}"
cmake --build build-asan -j2
cd build-asan
# The integration suite runs sanitized once, on SQLite: on PostgreSQL it drives the same server
# code, and the store's PostgreSQL paths run sanitized in server_test_postgresql (CI's time).
ctest --output-on-failure --timeout 900 -LE fuzz -E integration_test_postgresql
ctest --output-on-failure -L fuzz -j2
