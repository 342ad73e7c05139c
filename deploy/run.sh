#!/usr/bin/env bash
# One command from a fresh Debian 12 machine to a running server on the embedded default
# (SQLite and ./data, on http://127.0.0.1:8080). Extra arguments go to gongkai-server,
# e.g. --demo to load demo data built from the seed documents into an empty store.
set -euo pipefail
cd "$(dirname "$0")/.."
./deploy/install-deps.sh
./deploy/build.sh
exec ./build/server/gongkai-server --config deploy/gongkai.properties "$@"
