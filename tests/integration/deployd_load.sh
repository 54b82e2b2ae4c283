# confluent-deployd under a boot storm: 1000 nodes (four profiles) each open a connection,
# all held open together, then each asks for its by-mac redirect, checks it names its own
# node's profile, and fetches that profile's ~300 kB boot.img, checking every byte
# (tests/integration/deploy/deployd_clients.py load). All 1000 must be served. Then hostile
# and malformed requests (garbage, huge headers, bad ranges, %2e%2e traversal, 1 MB bodies,
# truncated requests), each of which must get a 4xx or, where HTTP allows, a clean close;
# the service must still answer afterwards and stop cleanly on SIGTERM (under
# AddressSanitizer: with no error and no leak reported).
command -v /usr/bin/python3 >/dev/null || fail "/usr/bin/python3 is not installed (apt-get install python3)"
command -v curl >/dev/null || fail "curl is not installed"
clients=$SOURCE_DIR/tests/integration/deploy/deployd_clients.py
work=$CONFLUENT_ROOT/load
svclog=$work/access.log
svcerr=$work/deployd.err
lib=$CONFLUENT_ROOT/var/lib/confluent
nodes=1000
mkdir -p "$work"
started=$SECONDS

svc_pid=''
source "$SOURCE_DIR/tests/integration/deploy/common.sh"  # stop
cleanup() {
  local status=$?
  stop "$svc_pid"
  if [ "$status" -ne 0 ]; then
    echo "--- confluent-deployd stderr (tail):" >&2
    tail -n 30 "$svcerr" >&2 2>/dev/null
    echo "--- access log (tail):" >&2
    tail -n 10 "$svclog" >&2 2>/dev/null
  fi
  rm -rf "$CONFLUENT_ROOT"
}
trap cleanup EXIT

# --- 1. Four profiles of different boot.img sizes and contents; nodes n1..n1000 with MACs
# 52:54:00:00:HH:LL (HHLL = the node's number) and profile os<number % 4>-x86_64.
for k in 0 1 2 3; do
  mkdir -p "$lib/public/os/os$k-x86_64"
  head -c $((300001 + k * 4099)) /dev/urandom >"$lib/public/os/os$k-x86_64/boot.img"
done
must nodedefine "n[1-$nodes]" 'net.hwaddr=52:54:00:00:{n1/256:02x}:{n1%256:02x}' \
  'deployment.pendingprofile=os{n1%4}-x86_64' deployment.useinsecureprotocols=firmware
run nodeattrib n258 net.hwaddr deployment.pendingprofile
expect_out "n258: deployment.pendingprofile: os2-x86_64
n258: net.hwaddr: 52:54:00:00:01:02"
# The manifest of the clients: MAC as the node's firmware may write it (odd nodes with
# dashes and in capitals), the expected Location, the file whose bytes must arrive.
for i in $(seq 1 "$nodes"); do
  k=$((i % 4))
  if ((i % 2)); then printf -v mac '52-54-00-00-%02X-%02X' $((i / 256)) $((i % 256)); else
    printf -v mac '52:54:00:00:%02x:%02x' $((i / 256)) $((i % 256)); fi
  echo "$mac /confluent-public/os/os$k-x86_64/boot.img $lib/public/os/os$k-x86_64/boot.img"
done >"$work/manifest"

# --- 2. The service.
timeout 120 confluent-deployd --http 127.0.0.1:0 --access-log "$svclog" >/dev/null 2>"$svcerr" &
svc_pid=$!
port=''
for _ in $(seq 1 100); do
  port=$(sed -n 's|^confluent-deployd: listening on http://127\.0\.0\.1:\([0-9][0-9]*\)$|\1|p' "$svcerr")
  [ -n "$port" ] && break
  kill -0 "$svc_pid" 2>/dev/null || break
  sleep 0.1
done
[ -n "$port" ] || fail "confluent-deployd did not report listening within 10 s"

# --- 3. The boot storm.
load_started=$SECONDS
run timeout 50 /usr/bin/python3 "$clients" load 127.0.0.1 "$port" "$work/manifest" --timeout 40
expect_rc 0
expect_out_has "$nodes of $nodes clients served"
echo "deployd_load: $out ($((SECONDS - load_started)) s)"
kill -0 "$svc_pid" 2>/dev/null || fail "confluent-deployd exited during the load"
# The log has one 302 per node, each naming that node, and 1000 whole files.
run awk '$3 == "\"GET" && $4 ~ /^\/confluent-api\/boot\/by-mac\// && $5 == 302 { print $2 }' "$svclog"
[ "$(sort -u <<<"$out" | grep -c '^n[0-9]*$')" -eq "$nodes" ] || fail "not $nodes distinct nodes with a 302 in the log"
run awk '$4 ~ /\/boot\.img"$/ && $5 == 200 && $6 >= 300001 && NF == 6' "$svclog"
[ "$(grep -c . <<<"$out")" -eq "$nodes" ] || fail "not $nodes whole boot.img sends in the log"

# --- 4. Malformed and hostile requests.
run timeout 60 /usr/bin/python3 "$clients" malformed 127.0.0.1 "$port" /confluent-public/os/os0-x86_64/boot.img 300001
printf '%s\n' "$out" | sed 's/^/deployd_load: /'
expect_rc 0
expect_out_lacks "FAIL"

# --- 5. Still up, and right.
kill -0 "$svc_pid" 2>/dev/null || fail "confluent-deployd exited after the malformed requests"
run curl -sS -o /dev/null -w '%{http_code} %{redirect_url}' "http://127.0.0.1:$port/confluent-api/boot/by-mac/52:54:00:00:03:e7/img"
expect_out "302 http://127.0.0.1:$port/confluent-public/os/os3-x86_64/boot.img"  # n999
run curl -sS -o "$work/after" -w '%{http_code}' "http://127.0.0.1:$port/confluent-public/os/os1-x86_64/boot.img"
expect_out 200
cmp -s "$work/after" "$lib/public/os/os1-x86_64/boot.img" || fail "boot.img differs after the malformed requests"

# --- 6. SIGTERM: a clean stop (status 0; under ASan, no report).
kill -TERM "$svc_pid"
for _ in $(seq 1 100); do
  kill -0 "$svc_pid" 2>/dev/null || break
  sleep 0.1
done
kill -0 "$svc_pid" 2>/dev/null && fail "confluent-deployd did not stop within 10 s of SIGTERM"
wait "$svc_pid"
rc=$?
svc_pid=''
[ "$rc" -eq 0 ] || fail "confluent-deployd exited with status $rc on SIGTERM"
! grep -qE 'AddressSanitizer|LeakSanitizer|runtime error:' "$svcerr" || fail "sanitizer report in the service's stderr"
echo "deployd_load: $((SECONDS - started)) s in all"
