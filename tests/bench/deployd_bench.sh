#!/usr/bin/env bash
# Benchmark for the deployment service (run on request, not by the suite): confluent-deployd
# side by side with nginx in one run, both unprivileged on loopback, measured by wrk with
# the same threads, connections and duration:
#   (a) by-mac redirects per second (wrk cycling over 1000 nodes' MACs) against nginx
#       serving a static file as large as the service's whole 302 response (status line and
#       headers included: the redirect's body is empty, and a file that size makes nginx's
#       answer at least as large, so nginx does no less work per request);
#       target: the service >= 0.5x nginx's requests/s;
#   (b) kernel downloads (the Debian installer's ~8 MB kernel when installed, else 8 MB of
#       random bytes); target: the service >= 0.9x nginx's MiB/s.
# Both log every request to a file: the service with --access-log, nginx with a plain
# access_log (as Debian's default: without buffer=, nginx too writes each line at once).
# Extra columns: the service with --access-log none, and nginx with keepalive_timeout 0 (a
# new connection per request, as the service imposes when it answers "Connection: close").
# The service runs with its default threads (one per CPU), nginx with worker_processes auto.
# Usage: tests/bench/deployd_bench.sh [BIN_DIR]   (default: build/bin)
#        CONNS="50 100 200" THREADS=2 DURATION=10 (wrk settings)
#        RUNS=1: each figure is the median of RUNS rounds, the configurations taking turns
#        within each round (on a shared or virtual machine single runs vary by 1.5x and more)
#        DEPLOYD=/path/to/confluent-deployd (another build of the service, e.g. a patched one)
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
bin=${1:-$here/build/bin}
deployd=${DEPLOYD:-$bin/confluent-deployd}
conns=${CONNS:-50 100 200}
threads=${THREADS:-2}
duration=${DURATION:-10}
runs=${RUNS:-1}
[ -x "$deployd" ] || { echo "$0: no $deployd (build first, or pass BIN_DIR)" >&2; exit 1; }
for tool in wrk nginx curl /usr/bin/python3; do
  command -v "$tool" >/dev/null || { echo "$0: $tool is missing (apt-get install wrk nginx-light curl python3)" >&2; exit 1; }
done
export PATH="$bin:$PATH"
work=$(mktemp -d)
pids=()
cleanup() {
  local p
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
export CONFLUENT_ROOT=$work/root
mkdir -p "$CONFLUENT_ROOT"
pub=$CONFLUENT_ROOT/var/lib/confluent/public
bench=$pub/os/bench
mkdir -p "$bench"

# --- The site: 1000 nodes pending profile "bench", its boot.ipxe and kernel.
nodedefine 'n[1-1000]' 'net.hwaddr=52:54:00:00:{n1/256:02x}:{n1%256:02x}' deployment.pendingprofile=bench \
  deployment.useinsecureprotocols=firmware >/dev/null
printf '#!ipxe\nkernel kernel\nboot\n' >"$bench/boot.ipxe"
dikernel=/usr/lib/debian-installer/images/12/amd64/text/debian-installer/amd64/linux
if [ -r "$dikernel" ]; then
  cp "$dikernel" "$bench/kernel"
  kernel_from="Debian installer kernel"
else
  head -c 8388608 /dev/urandom >"$bench/kernel"
  kernel_from="random bytes (no $dikernel: package debian-installer-12-netboot-amd64)"
fi
kernel_size=$(stat -c %s "$bench/kernel")

# --- The service, twice: logging to a file, and with no log.
start_deployd() {  # start_deployd NAME VAR ARGS...: starts one, its port in VAR
  local name=$1 var=$2 port=''
  shift 2
  : >"$work/$name.err"
  "$deployd" --http 127.0.0.1:0 "$@" >/dev/null 2>"$work/$name.err" &
  pids+=($!)
  for _ in $(seq 1 100); do
    port=$(sed -n 's|^confluent-deployd: listening on http://127\.0\.0\.1:\([0-9]*\)$|\1|p' "$work/$name.err")
    [ -n "$port" ] && break
    sleep 0.1
  done
  [ -n "$port" ] || { echo "$0: $deployd did not start: $(cat "$work/$name.err")" >&2; exit 1; }
  printf -v "$var" '%s' "$port"
}
svc="" svc_nolog=""
start_deployd deployd svc --access-log "$work/deployd-access.log"
start_deployd deployd-nolog svc_nolog --access-log none

# The whole 302 (status line, headers, empty body), and the file nginx serves in its place.
bymac=/confluent-api/boot/by-mac/52:54:00:00:00:01/ipxe
read -r code redirect_bytes < <(curl -s -o /dev/null -w '%{http_code} %{size_header}\n' "http://127.0.0.1:$svc$bymac")
[ "$code" = 302 ] || { echo "$0: by-mac answered $code, not 302" >&2; exit 1; }
head -c "$redirect_bytes" /dev/zero | tr '\0' r >"$bench/redirect-size.bin"
svc_closes=no
curl -s -D - -o /dev/null "http://127.0.0.1:$svc$bymac" | grep -qi '^connection: *close' && svc_closes=yes

# --- nginx: keep-alive as shipped, and keepalive_timeout 0. Two free ports below the
# ephemeral range.
read -r ngx_port ngx_close < <(/usr/bin/python3 - <<'EOF'
import random, socket
found = []
while len(found) < 2:
    p = random.randint(10000, 30000)
    s = socket.socket()
    try:
        s.bind(("127.0.0.1", p))
        if p not in found:
            found.append(p)
    except OSError:
        pass
    finally:
        s.close()
print(*found)
EOF
)
ngx=$work/nginx
mkdir -p "$ngx/tmp"
user_line=''
[ "$(id -u)" -eq 0 ] && user_line='user root;'
cat >"$ngx/nginx.conf" <<EOF
daemon off;
master_process on;
worker_processes auto;
$user_line
pid $ngx/nginx.pid;
lock_file $ngx/nginx.lock;
error_log $ngx/error.log notice;
events { worker_connections 4096; }
http {
    default_type application/octet-stream;
    sendfile on;
    tcp_nopush on;
    access_log $ngx/access.log;
    client_body_temp_path $ngx/tmp/body;
    proxy_temp_path $ngx/tmp/proxy;
    fastcgi_temp_path $ngx/tmp/fastcgi;
    uwsgi_temp_path $ngx/tmp/uwsgi;
    scgi_temp_path $ngx/tmp/scgi;
    server {
        listen 127.0.0.1:$ngx_port;
        location /confluent-public/ { alias $pub/; }
    }
    server {
        listen 127.0.0.1:$ngx_close;
        keepalive_timeout 0;
        location /confluent-public/ { alias $pub/; }
    }
}
EOF
nginx -e "$ngx/error.log" -p "$ngx/" -c "$ngx/nginx.conf" >/dev/null 2>&1 &
pids+=($!)
for _ in $(seq 1 100); do
  [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$ngx_port/confluent-public/os/bench/boot.ipxe")" = 200 ] && break
  sleep 0.1
done
redirect_file=/confluent-public/os/bench/redirect-size.bin
read -r code ngx_head ngx_body < <(curl -s -o /dev/null -w '%{http_code} %{size_header} %{size_download}\n' \
  "http://127.0.0.1:$ngx_port$redirect_file")
[ "$code" = 200 ] || { echo "$0: nginx did not serve the test file: $code; $(tail -3 "$ngx/error.log")" >&2; exit 1; }
for p in "$svc" "$ngx_port"; do
  curl -s "http://127.0.0.1:$p/confluent-public/os/bench/kernel" | cmp -s - "$bench/kernel" ||
    { echo "$0: the kernel from port $p differs from the file" >&2; exit 1; }
done

# Both sides get their requests from a Lua request() (the same client cost per request):
# the service's cycles over the 1000 nodes' MACs.
cat >"$work/bymac.lua" <<'EOF'
local n = 0
request = function()
  n = n + 1
  local i = n % 1000 + 1
  return wrk.format("GET", string.format("/confluent-api/boot/by-mac/52:54:00:00:%02x:%02x/ipxe",
                                         math.floor(i / 256), i % 256))
end
EOF
cat >"$work/static.lua" <<EOF
request = function() return wrk.format("GET", "$redirect_file") end
EOF

# wrk_run CONNS URL [wrk options]: "REQ/S COMPLETED_REQUESTS" on stdout; errors on stderr.
wrk_run() {
  local c=$1 url=$2 out rps n errs
  shift 2
  out=$(wrk -t"$threads" -c"$c" -d"${duration}s" "$@" "$url")
  rps=$(sed -n 's/^Requests\/sec: *\([0-9.]*\).*/\1/p' <<<"$out")
  n=$(sed -n 's/^ *\([0-9]*\) requests in .*/\1/p' <<<"$out")
  errs=$(grep -E 'Socket errors|Non-2xx' <<<"$out" || true)
  [ -z "$errs" ] || echo "  warning: $url, $c connections: $(tr '\n' ' ' <<<"$errs")" >&2
  echo "${rps:-0} ${n:-0}"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }

echo "confluent-deployd: $deployd ($(nproc) CPUs; wrk -t$threads -d${duration}s; median of $runs round(s))"
echo "the 302: $redirect_bytes bytes, all headers (Connection: close: $svc_closes); nginx's stand-in:" \
  "a $redirect_bytes-byte file, $((ngx_head + ngx_body)) bytes on the wire"
echo "kernel: $kernel_size bytes, $kernel_from"
echo
echo "(a) by-mac redirects, requests/s (target: deployd >= 0.50x nginx)"
printf '  %5s  %12s  %12s  %6s  %6s  |  %15s  %19s\n' conns deployd nginx ratio target "deployd, no log" "nginx, no keepalive"
worst_a=''
for c in $conns; do
  A=() B=() A2=() B2=()
  for _ in $(seq 1 "$runs"); do
    read -r x _ < <(wrk_run "$c" "http://127.0.0.1:$svc" -s "$work/bymac.lua") && A+=("$x")
    read -r x _ < <(wrk_run "$c" "http://127.0.0.1:$ngx_port" -s "$work/static.lua") && B+=("$x")
    read -r x _ < <(wrk_run "$c" "http://127.0.0.1:$svc_nolog" -s "$work/bymac.lua") && A2+=("$x")
    read -r x _ < <(wrk_run "$c" "http://127.0.0.1:$ngx_close" -s "$work/static.lua") && B2+=("$x")
  done
  a=$(median "${A[@]}") b=$(median "${B[@]}") a2=$(median "${A2[@]}") b2=$(median "${B2[@]}")
  r=$(ratio "$a" "$b")
  met=$(awk -v r="$r" 'BEGIN { print (r >= 0.5 ? "met" : "MISSED") }')
  printf '  %5s  %12.0f  %12.0f  %5sx  %6s  |  %15.0f  %19.0f\n' "$c" "$a" "$b" "$r" "$met" "$a2" "$b2"
  worst_a=$(awk -v r="$r" -v w="${worst_a:-99}" 'BEGIN { print (r < w ? r : w) }')
done
echo
echo "(b) kernel downloads, MiB/s (target: deployd >= 0.90x nginx)"
printf '  %5s  %12s  %12s  %6s  %6s\n' conns deployd nginx ratio target
worst_b=''
kernel_url=/confluent-public/os/bench/kernel
for c in $conns; do
  A=() B=()
  for _ in $(seq 1 "$runs"); do
    read -r x _ < <(wrk_run "$c" "http://127.0.0.1:$svc$kernel_url" --timeout 60s) && A+=("$x")
    read -r x _ < <(wrk_run "$c" "http://127.0.0.1:$ngx_port$kernel_url" --timeout 60s) && B+=("$x")
  done
  a=$(median "${A[@]}") b=$(median "${B[@]}")
  ma=$(awk -v r="$a" -v s="$kernel_size" 'BEGIN { printf "%.0f", r * s / 1048576 }')
  mb=$(awk -v r="$b" -v s="$kernel_size" 'BEGIN { printf "%.0f", r * s / 1048576 }')
  r=$(ratio "$ma" "$mb")
  met=$(awk -v r="$r" 'BEGIN { print (r >= 0.9 ? "met" : "MISSED") }')
  printf '  %5s  %12s  %12s  %5sx  %6s\n' "$c" "$ma" "$mb" "$r" "$met"
  worst_b=$(awk -v r="$r" -v w="${worst_b:-99}" 'BEGIN { print (r < w ? r : w) }')
done
echo
echo "worst ratios: by-mac ${worst_a}x (target 0.50x), kernel ${worst_b}x (target 0.90x)"
if [ "$svc_closes" = yes ]; then
  echo "note: the service answers with \"Connection: close\", so each of wrk's requests opens a new TCP"
  echo "      connection; compare with the \"nginx, no keepalive\" column."
fi
