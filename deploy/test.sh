#!/usr/bin/env bash
# One command from a fresh Debian 12 machine to the whole test suite: installs what is
# missing, checks the C++ formatting (deploy/check-format.sh), builds, and runs every test with
# ctest.
set -euo pipefail
cd "$(dirname "$0")/.."
./deploy/install-deps.sh --test
# The format check first, before the build, so that a style slip fails fast.
./deploy/check-format.sh
./deploy/build.sh
cd build
# Two at a time, one per core: the suite's two long parts (the integration suite on SQLite and on
# PostgreSQL) run side by side.
ctest --output-on-failure --timeout 900 -j2
# Then the same suite under AddressSanitizer and UBSan, and the fuzz targets (build-asan/).
cd ..
./deploy/test-sanitizers.sh
