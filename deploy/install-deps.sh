#!/usr/bin/env bash
# Installs the Debian 12 packages Gongkai builds with, when any is missing. Idempotent and
# non-interactive; uses sudo when not run as root. `--test` adds what the tests need besides:
# Debian's Chromium and CJK fonts for the browser tests, and clang 14 with its sanitizer and
# libFuzzer runtimes and llvm-symbolizer for the sanitizer stage (deploy/test-sanitizers.sh),
# and clang-format (14) and python3 for the format check (deploy/check-format.sh); systemd (for
# systemd-analyze) and nginx-light for the installed-service test (tests/deploy/install_test.sh);
# PostgreSQL 15 for the store tests that run against it in a temporary cluster
# (tests/support/pg_cluster.h); LibreOffice headless (libreoffice-writer-nogui) for the
# preservation renditions' tests. libpq-dev always: Poco's PostgreSQL connector links libpq.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config
  libpoco-dev libxapian-dev libarchive-dev libssl-dev libicu-dev libsqlite3-dev libpq-dev
  libgtest-dev libgmock-dev openssl libpoppler-cpp-dev poppler-data libjemalloc-dev
  # libxml2: XSD validation of the bundles' DA/T 46 metadata.xml (gongkai-verify); xmllint for
  # the tests that check those files with the stock tool
  libxml2-dev libxml2-utils
  curl  # the HTTPS test talks to the server with it, as the README does
  # xapian-replicate-server and xapian-replicate: servers sharing a PostgreSQL database keep the
  # search index's replicas with them (Debian's libxapian-dev has no replication API header);
  # run.sh and test.sh both install this list, the replica tests need them too.
  xapian-tools
)
# The web workbench is built with esbuild from npm; any Node.js from 18 on will do, so Debian's
# is installed only when the machine has none.
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  packages+=(nodejs npm)
fi
if [ "${1:-}" = "--test" ]; then
  packages+=(chromium fonts-noto-cjk clang clang-format python3 libclang-rt-14-dev llvm)
  packages+=(systemd nginx-light postgresql)
  # LibreOffice headless (no GUI, ~83 MB): the PDF/A preservation renditions of archived DOCX
  # that the archive bundle tests make (gongkai.archive.converter)
  packages+=(libreoffice-writer-nogui)
fi

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "安装缺少的软件包 (installing missing packages): ${missing[*]}"
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -q
$sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
