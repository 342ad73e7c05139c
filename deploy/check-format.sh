#!/usr/bin/env bash
# The style check of deploy/test.sh, run before the build so that a slip fails fast: every
# tracked C++ file outside web/ must be as clang-format (.clang-format; Debian 12's
# clang-format 14) leaves it, and no line may be wider than its ColumnLimit in display columns
# (a CJK character counts two, as clang-format counts it) — clang-format itself does not break
# string literals or every comment, so those are split by hand (adjacent literals concatenate).
# Prints each offending file:line and fails; prints one line and succeeds otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v clang-format >/dev/null; then
  echo "缺少 clang-format (clang-format is not installed): ./deploy/install-deps.sh --test" >&2
  exit 1
fi
if ! command -v python3 >/dev/null; then
  echo "缺少 python3 (python3 is not installed): apt-get install python3" >&2
  exit 1
fi

# The files: tracked *.cpp and *.h outside web/ (without git, those found under the tree,
# leaving out web/ and the build directories).
files=()
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  while IFS= read -r -d '' file; do
    [ -f "$file" ] && files+=("$file")
  done < <(git ls-files -z -- '*.cpp' '*.h' ':!:web/')
else
  while IFS= read -r -d '' file; do
    files+=("${file#./}")
  done < <(find . \( -path ./web -o -path './build*' -o -path ./.git \) -prune -o \
    -type f \( -name '*.cpp' -o -name '*.h' \) -print0 | sort -z)
fi
if [ ${#files[@]} -eq 0 ]; then
  echo "格式不符 (format check failed): 找不到 C++ 文件 (no C++ files found)" >&2
  exit 1
fi

failed=0

# 1. clang-format, once over all the files: any change it would make is a violation.
cf_status=0
cf_output=$(clang-format --dry-run --Werror "${files[@]}" 2>&1) || cf_status=$?
if [ "$cf_status" -ne 0 ]; then
  failed=1
  violations=$(printf '%s\n' "$cf_output" |
    sed -n -E 's/^(.+):([0-9]+):[0-9]+: (error|warning): code should be clang-formatted.*/\1:\2/p' |
    sort -t: -k1,1 -k2,2n -u)
  if [ -n "$violations" ]; then
    echo "格式不符 (format check failed): clang-format 会改动以下各行" \
      "(clang-format would change these lines; run clang-format -i on the file):" >&2
    printf '%s\n' "$violations" | sed 's/^/  /' >&2
  else
    echo "格式不符 (format check failed): clang-format 出错" \
      "(clang-format failed, status $cf_status):" >&2
    printf '%s\n' "$cf_output" >&2
  fi
fi

# 2. Line width in display columns against the ColumnLimit clang-format uses here (from
# .clang-format; 0 means no limit).
limit=$(clang-format --dump-config | sed -n -E 's/^ColumnLimit:[[:space:]]*([0-9]+).*$/\1/p')
if ! [[ "$limit" =~ ^[0-9]+$ ]]; then
  echo "格式不符 (format check failed): 读不到 ColumnLimit" \
    "(cannot read ColumnLimit from clang-format --dump-config)" >&2
  exit 1
fi
if [ "$limit" -gt 0 ]; then
  printf '%s\0' "${files[@]}" | python3 -c '
import sys, unicodedata
limit = int(sys.argv[1])
def width(line):
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line)
over = []
for name in sys.stdin.read().split("\0"):
    if not name:
        continue
    with open(name, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            w = width(line.rstrip("\r\n"))
            if w > limit:
                over.append(f"  {name}:{number}: {w} 列 (columns)")
if over:
    print(f"格式不符 (format check failed): 以下各行超过 {limit} 列 (these lines are wider than "
          f"{limit} display columns; a CJK character counts two; split string literals into "
          "adjacent literals, wrap comments):", file=sys.stderr)
    print("\n".join(over), file=sys.stderr)
    sys.exit(1)
' "$limit" || failed=1
fi

if [ "$failed" -ne 0 ]; then
  exit 1
fi
echo "格式检查通过 (format check passed): ${#files[@]} 个文件 (files)," \
  "clang-format 与 ${limit} 列 (columns)"
