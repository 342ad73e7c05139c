#!/usr/bin/env bash
# The installed layout works on its own. `cmake --install` into a temporary prefix; the systemd
# unit passes systemd-analyze; the installed gongkai-server runs as the unit runs it (its very
# ExecStart line, with systemd's folders %E, %S, %L under the temporary folder and the instance
# %i a free port, plus --demo) and serves the workbench, the policies and the demo data from
# PREFIX/share/gongkai, not from the source tree, and extracts an uploaded DOCX's text with the
# installed `gongkai extract-text` child; then the same through the installed nginx site over TLS
# (a self-signed certificate, nginx on free ports). Real binaries throughout.
# Usage: install_test.sh BUILD_DIR
set -euo pipefail
build=$(cd "$1" && pwd)
for tool in cmake curl openssl python3 nginx systemd-analyze; do
  command -v "$tool" >/dev/null || { echo "needs $tool: deploy/install-deps.sh --test" >&2; exit 1; }
done

work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
fail() {
  echo "FAIL: $*" >&2
  for log in "$work"/server.log "$work"/nginx/logs/error.log; do
    [ -f "$log" ] && { echo "--- $log" >&2; tail -n 30 "$log" >&2; }
  done
  exit 1
}
free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
# The value of a top-level field of the JSON object on standard input.
json_field() {
  python3 -c 'import json, sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"
}
# Polls URL (curl options before it) until it answers, while the process PID lives.
wait_for() {
  local pid=$1
  shift
  for _ in $(seq 150); do
    curl -fsS -o /dev/null "$@" 2>/dev/null && return 0
    kill -0 "$pid" 2>/dev/null || fail "process $pid exited before answering $*"
    sleep 0.2
  done
  fail "no answer from $*"
}

echo "== cmake --install into a temporary prefix"
prefix=$work/prefix
cmake --install "$build" --prefix "$prefix" >"$work/install.log" || fail "cmake --install"
for file in bin/gongkai-server bin/gongkai bin/gongkai-verify \
  share/gongkai/web/index.html share/gongkai/policies share/gongkai/demo \
  etc/gongkai/gongkai.properties lib/systemd/system/gongkai@.service \
  lib/sysusers.d/gongkai.conf share/doc/gongkai/README.md \
  share/doc/gongkai/examples/nginx/gongkai.conf; do
  [ -e "$prefix/$file" ] || fail "$file not installed"
done
for dir in web policies demo; do
  [ -L "$prefix/share/gongkai/$dir" ] && fail "share/gongkai/$dir is a link, not a copy"
done
# Installing again keeps an edited configuration and puts the new sample beside it.
echo "# edited by the operator" >>"$prefix/etc/gongkai/gongkai.properties"
cmake --install "$build" --prefix "$prefix" >>"$work/install.log" || fail "second cmake --install"
grep -q "edited by the operator" "$prefix/etc/gongkai/gongkai.properties" ||
  fail "a second install overwrote the configuration"
[ -f "$prefix/etc/gongkai/gongkai.properties.new" ] || fail "no gongkai.properties.new beside it"

echo "== systemd-analyze verify"
unit=$prefix/lib/systemd/system/gongkai@.service
grep -q "^ExecStart=$prefix/bin/gongkai-server " "$unit" || fail "ExecStart does not name $prefix/bin"
mkdir "$work/units"
cp "$unit" "$work/units/"
ln -s gongkai@.service "$work/units/gongkai@8081.service"
# It exits 0 on an unknown or misspelt key, only warning: any output fails.
if ! (cd "$work/units" && systemd-analyze verify --man=no ./gongkai@8081.service) \
  >"$work/verify.log" 2>&1 || [ -s "$work/verify.log" ]; then
  cat "$work/verify.log" >&2
  fail "systemd-analyze verify"
fi
systemd-analyze security --offline=yes --threshold=20 "$work/units/gongkai@8081.service" \
  >"$work/security.log" 2>&1 || { cat "$work/security.log" >&2; fail "exposure above 2.0"; }
tail -n 1 "$work/security.log"

echo "== the installed server, started by the unit's ExecStart"
port=$(free_port)
command_line=$(sed -n 's/^ExecStart=//p' "$unit")
command_line=${command_line//%E/$prefix/etc}
command_line=${command_line//%S/$work/state}
command_line=${command_line//%L/$work/log}
command_line=${command_line//%i/$port}
read -ra server_command <<<"$command_line"
data=$work/state/gongkai/$port
mkdir -p "$data" "$work/log/gongkai/$port"  # StateDirectory= and LogsDirectory= make these
(cd / && exec "${server_command[@]}" --demo) >"$work/server.log" 2>&1 &
server_pid=$!
pids+=("$server_pid")
base=http://127.0.0.1:$port
wait_for "$server_pid" "$base/healthz"

[ "$(curl -fsS "$base/healthz" | json_field status)" = ok ] || fail "/healthz"
curl -fsS "$base/" -o "$work/page.html" || fail "GET /"
cmp -s "$work/page.html" "$prefix/share/gongkai/web/index.html" || fail "/ is not the installed page"
script=$(grep -o '/assets/app-[A-Za-z0-9]*\.js' "$work/page.html" | head -n 1)
[ -n "$script" ] || fail "the page names no script"
curl -fsS "$base$script" | cmp -s - "$prefix/share/gongkai/web$script" ||
  fail "$script is not the installed one"
# As on a service's first start: the server makes `admin` and prints its password once.
password=$(sed -n 's/.*(first start: account admin, password): //p' "$work/server.log")
[ -n "$password" ] || fail "no first admin password printed"
login='{"username":"admin","password":"'$password'"}'
token=$(curl -fsS -H 'Content-Type: application/json' -d "$login" "$base/api/v1/auth/login" |
  json_field token) || fail "login"
folder=$(curl -fsS -H "Authorization: Bearer $token" "$base/api/v1/policies" | json_field folder) ||
  fail "GET /api/v1/policies"
[ "$folder" = "$prefix/share/gongkai/policies" ] || fail "policies read from $folder"
# The demo data came from PREFIX/share/gongkai/demo; its archivist files a DOCX, whose text the
# server has the installed `gongkai` beside it extract in a child process.
demo_password=$(sed -n 's/.*(shared password): //p' "$work/server.log")
[ -n "$demo_password" ] || fail "no demo accounts: the demo data was not loaded"
archivist=$(curl -fsS -H 'Content-Type: application/json' \
  -d '{"username":"archivist","password":"'"$demo_password"'"}' "$base/api/v1/auth/login" |
  json_field token) || fail "demo archivist login"
python3 - "$work/notice.docx" <<'PY'
import sys, zipfile
with zipfile.ZipFile(sys.argv[1], "w") as docx:
    docx.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
    docx.writestr("word/document.xml", '<?xml version="1.0"?><w:document xmlns:w="w"><w:body>'
                  '<w:p><w:r><w:t>安装测试通知</w:t></w:r></w:p></w:body></w:document>')
PY
metadata='{"title":"安装测试","category":"ZZ","mode":"proactive","period":"standing",'
metadata+='"org_unit":"xiaode-wsy","scope":"public"}'
document=$(curl -fsS -H "Authorization: Bearer $archivist" -F "metadata=$metadata;type=application/json" \
  -F "file=@$work/notice.docx;type=application/vnd.openxmlformats-officedocument.wordprocessingml.document" \
  "$base/api/v1/documents" | json_field id) || fail "filing a document with a DOCX"
extraction=pending
for _ in $(seq 100); do
  extraction=$(curl -fsS -H "Authorization: Bearer $archivist" "$base/api/v1/documents/$document" |
    python3 -c 'import json, sys; t = json.load(sys.stdin)["files"][0]["text_extraction"]
print(t["status"], t.get("format") or "", t.get("code") or "")')
  [ "${extraction%% *}" = pending ] || break
  sleep 0.2
done
[ "$extraction" = "ok docx " ] || fail "text extraction of the DOCX: $extraction"

echo "== the nginx site in front, over TLS"
ng=$work/nginx
mkdir -p "$ng/logs"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 -subj /CN=localhost \
  -addext subjectAltName=DNS:localhost -keyout "$ng/key.pem" -out "$ng/cert.pem" 2>/dev/null
https_port=$(free_port)
http_port=$(free_port)
sed -e "s|server 127.0.0.1:8081;|server 127.0.0.1:$port;|" \
  -e "s|listen 443 ssl;|listen 127.0.0.1:$https_port ssl;|" \
  -e "s|listen 80;|listen 127.0.0.1:$http_port;|" -e '/listen \[::\]/d' \
  -e "s|/etc/ssl/certs/gongkai.example.cn.pem|$ng/cert.pem|" \
  -e "s|/etc/ssl/private/gongkai.example.cn.key|$ng/key.pem|" \
  "$prefix/share/doc/gongkai/examples/nginx/gongkai.conf" >"$ng/site.conf"
grep -Eq '^[^#]*(8081|/etc/ssl|listen (80|443))' "$ng/site.conf" && fail "site.conf: not all placeholders replaced"
{
  [ "$(id -u)" -eq 0 ] && echo "user root;"  # the workers read the temporary folder
  echo "daemon off; pid $ng/nginx.pid; error_log $ng/logs/error.log;"
  echo "events { worker_connections 64; }"
  echo "http {"
  echo "  access_log $ng/logs/access.log;"
  for temp in client_body proxy fastcgi uwsgi scgi; do echo "  ${temp}_temp_path $ng/$temp;"; done
  echo "  include $ng/site.conf;"
  echo "}"
} >"$ng/nginx.conf"
nginx_args=(-p "$ng" -e "$ng/logs/error.log" -c "$ng/nginx.conf")
nginx -t -q "${nginx_args[@]}" 2>"$work/nginx-t.log" || { cat "$work/nginx-t.log" >&2; fail "nginx -t"; }
nginx "${nginx_args[@]}" &
pids+=("$!")
tls=(--cacert "$ng/cert.pem" --resolve "localhost:$https_port:127.0.0.1")
proxied=https://localhost:$https_port
wait_for "$!" "${tls[@]}" "$proxied/healthz"

[ "$(curl -fsS "${tls[@]}" "$proxied/healthz" | json_field status)" = ok ] || fail "/healthz via nginx"
curl -fsS "${tls[@]}" -D "$ng/headers" "$proxied/" -o "$ng/page.html" || fail "GET / via nginx"
cmp -s "$ng/page.html" "$prefix/share/gongkai/web/index.html" || fail "/ via nginx"
grep -qi '^Strict-Transport-Security: max-age=' "$ng/headers" || fail "no HSTS via nginx"
# To the site's own name, whatever Host the client sent (no open redirect).
redirect=$(curl -sS -o /dev/null -w '%{http_code} %{redirect_url}' -H 'Host: evil.example' \
  "http://127.0.0.1:$http_port/healthz")
[ "$redirect" = "301 https://gongkai.example.cn/healthz" ] || fail "plain HTTP answered '$redirect'"
token=$(curl -fsS "${tls[@]}" -H 'Content-Type: application/json' -d "$login" \
  "$proxied/api/v1/auth/login" | json_field token) || fail "login via nginx"
folder=$(curl -fsS "${tls[@]}" -H "Authorization: Bearer $token" "$proxied/api/v1/policies" |
  json_field folder) || fail "GET /api/v1/policies via nginx"
[ "$folder" = "$prefix/share/gongkai/policies" ] || fail "policies via nginx read from $folder"

echo "== stop"
kill -TERM "$server_pid"
wait "$server_pid" || fail "the server exited with $? on SIGTERM"
[ -s "$work/log/gongkai/$port/access.log" ] || fail "no access log in the unit's LogsDirectory"
[ ! -e "$data/server.port" ] || fail "server.port left behind"
# The installed CLI checks roles against the installed policies too.
echo install-test-password-7 | "$prefix/bin/gongkai" user add chief --role admin --data-dir "$data" \
  >"$work/user.log" 2>&1 || { cat "$work/user.log" >&2; fail "gongkai user add"; }
echo "installed layout, unit, server and nginx site: all passed"
