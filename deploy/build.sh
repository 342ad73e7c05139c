#!/usr/bin/env bash
# Builds everything into build/ (two jobs: the machines have two cores): the web workbench
# into web/dist (npm ci from the lockfile, then esbuild), then the C++ with CMake.
set -euo pipefail
cd "$(dirname "$0")/.."
(
  cd web
  # npm ci only when the installed packages are missing or older than the lockfile.
  if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    npm ci --no-audit --no-fund --loglevel=error
  fi
  node build.mjs
)
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build build -j2
