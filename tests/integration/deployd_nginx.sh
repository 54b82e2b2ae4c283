# The shipped nginx site (packaging/nginx/confluent-deployd.conf) in front of
# confluent-deployd --proxied: a runnable copy of it (only its ports, the certificate's and
# the public tree's paths changed, to this test's CONFLUENT_ROOT and free loopback ports),
# wrapped in a minimal nginx.conf under the test directory so that nginx runs in the
# foreground without writing to /etc or /var. Checked: nginx -t; public files (whole, a
# Range, through the distribution symlinks, no listing, no traversal) served by nginx
# itself; by-mac 302s, whoami, registerapikey and deploycfg2 reaching the service with the
# CONFLUENT_* headers, the client's address (X-Forwarded-For), scheme (X-Forwarded-Proto)
# and Host; a body over 64 KiB refused by nginx.
#
# The client speaks from 127.0.0.5 and nginx from 127.0.0.1: the address in the service's
# access log shows which one the service took.
for tool in nginx curl openssl /usr/bin/python3; do
  command -v "$tool" >/dev/null || fail "$tool is not installed (apt-get install nginx-light curl openssl python3)"
done
site=$SOURCE_DIR/packaging/nginx/confluent-deployd.conf
[ -r "$site" ] || fail "no $site"
work=$CONFLUENT_ROOT/nginx-test
ngx=$work/nginx
svclog=$work/deployd.log
svcerr=$work/deployd.err
mkdir -p "$ngx/tmp" "$work/got"
lib=$CONFLUENT_ROOT/var/lib/confluent
tls=$CONFLUENT_ROOT/etc/confluent/tls
client=127.0.0.5

svc_pid='' ngx_pid=''
source "$SOURCE_DIR/tests/integration/deploy/common.sh"  # stop
cleanup() {
  local status=$?
  stop "$ngx_pid"
  stop "$svc_pid"
  if [ "$status" -ne 0 ]; then
    echo "--- confluent-deployd access log (tail):" >&2
    tail -n 20 "$svclog" >&2 2>/dev/null
    echo "--- confluent-deployd stderr (tail):" >&2
    tail -n 20 "$svcerr" >&2 2>/dev/null
    echo "--- nginx error log (tail):" >&2
    tail -n 20 "$ngx/error.log" >&2 2>/dev/null
  fi
  rm -rf "$CONFLUENT_ROOT"
}
trap cleanup EXIT

# --- 1. The site: certificate, a profile with a distribution link, a node pending it.
must osdeploy initialize -t
{ [ -r "$tls/srvcert.pem" ] && [ -r "$tls/srvkey.pem" ]; } || fail "osdeploy initialize -t made no site certificate"
pdir=$lib/public/os/prof
mkdir -p "$pdir" "$lib/distributions/deb12/install.amd"
printf '#!ipxe\nkernel boot/kernel\nboot\n' >"$pdir/boot.ipxe"
head -c 200003 /dev/urandom >"$pdir/boot.img"
head -c 100001 /dev/urandom >"$lib/distributions/deb12/install.amd/vmlinuz"
# As osdeploy import links them: the distribution out of public/, the kernel through it.
ln -s ../../../distributions/deb12 "$pdir/distribution"
mkdir -p "$pdir/boot"
ln -s ../distribution/install.amd/vmlinuz "$pdir/boot/kernel"
mac=52:54:00:0a:00:01
must nodedefine n1 net.hwaddr=$mac deployment.pendingprofile=prof deployment.useinsecureprotocols=firmware

# --- 2. The service, on loopback as the site's comment says (any free port).
timeout 120 confluent-deployd --http 127.0.0.1:0 --proxied --access-log "$svclog" >/dev/null 2>"$svcerr" &
svc_pid=$!
svc_port=''
for _ in $(seq 1 100); do
  svc_port=$(sed -n 's|^confluent-deployd: listening on http://127\.0\.0\.1:\([0-9][0-9]*\)$|\1|p' "$svcerr")
  [ -n "$svc_port" ] && break
  kill -0 "$svc_pid" 2>/dev/null || break
  sleep 0.1
done
[ -n "$svc_port" ] || fail "confluent-deployd did not report listening within 10 s"

# --- 3. The runnable copy of the site. Two free ports (below the ephemeral range, free on
# 127.0.0.1 and, when this host has it, ::1) stand for 80 and 443.
have_v6=0
/usr/bin/python3 -c 'import socket; socket.socket(socket.AF_INET6).bind(("::1", 0))' 2>/dev/null && have_v6=1
read -r http https < <(/usr/bin/python3 - "$have_v6" <<'EOF'
import random, socket, sys
v6 = sys.argv[1] == "1"
def free(port):
    for family, addr in [(socket.AF_INET, "127.0.0.1")] + ([(socket.AF_INET6, "::1")] if v6 else []):
        s = socket.socket(family)
        try:
            s.bind((addr, port))
        except OSError:
            return False
        finally:
            s.close()
    return True
found = []
while len(found) < 2:
    p = random.randint(10000, 30000)
    if p not in found and free(p):
        found.append(p)
print(*found)
EOF
)
[ -n "$https" ] || fail "no free ports found"
# Each thing the test rewrites must be in the shipped file as expected, or the copy would
# silently test something else.
for pattern in 'listen 80 default_server;' 'listen \[::\]:80 default_server;' 'listen 443 ssl default_server;' \
  'listen \[::\]:443 ssl default_server;' 'server 127\.0\.0\.1:4005;' 'ssl_certificate  */etc/confluent/tls/srvcert\.pem;' \
  'ssl_certificate_key  */etc/confluent/tls/srvkey\.pem;' 'alias /var/lib/confluent/public/;' 'underscores_in_headers on;'; do
  grep -q "^ *$pattern" "$site" || fail "the shipped site lacks the line: $pattern"
done
v6_sed=("-e" "s|listen \[::\]:80 |listen [::1]:$http |" "-e" "s|listen \[::\]:443 |listen [::1]:$https |")
[ "$have_v6" = 1 ] || v6_sed=("-e" '/listen \[::\]:/d')
sed -e "s|listen 80 |listen 127.0.0.1:$http |" -e "s|listen 443 |listen 127.0.0.1:$https |" "${v6_sed[@]}" \
  -e "s|server 127\.0\.0\.1:4005;|server 127.0.0.1:$svc_port;|" \
  -e "s| /etc/confluent/tls/| $tls/|" -e "s|alias /var/lib/confluent/public/;|alias $lib/public/;|" \
  "$site" >"$ngx/site.conf"
! grep -v '^ *#' "$ngx/site.conf" | grep -E '[[:space:]]/(etc|var)/|:4005|listen (80|443|\[::\]:)' ||
  fail "the copy of the site still has a path or port of the shipped one"
# As root, nginx's workers would run as nobody and could not read this private tree.
user_line=''
[ "$(id -u)" -eq 0 ] && user_line='user root;'
cat >"$ngx/nginx.conf" <<EOF
daemon off;
master_process on;
worker_processes 1;
$user_line
pid $ngx/nginx.pid;
lock_file $ngx/nginx.lock;
error_log $ngx/error.log notice;
events { worker_connections 256; }
http {
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log $ngx/access.log;
    client_body_temp_path $ngx/tmp/body;
    proxy_temp_path $ngx/tmp/proxy;
    fastcgi_temp_path $ngx/tmp/fastcgi;
    uwsgi_temp_path $ngx/tmp/uwsgi;
    scgi_temp_path $ngx/tmp/scgi;
    include $ngx/site.conf;
}
EOF
run nginx -t -e "$ngx/error.log" -p "$ngx/" -c "$ngx/nginx.conf"
expect_rc 0
expect_err_has "syntax is ok"
expect_err_has "test is successful"

timeout 120 nginx -e "$ngx/error.log" -p "$ngx/" -c "$ngx/nginx.conf" >"$ngx/stdout" 2>&1 &
ngx_pid=$!
up=''
for _ in $(seq 1 100); do
  up=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$http/" 2>/dev/null)
  [ "$up" = 404 ] && break
  kill -0 "$ngx_pid" 2>/dev/null || break
  sleep 0.1
done
[ "$up" = 404 ] || fail "nginx did not answer on 127.0.0.1:$http within 10 s"

H=http://127.0.0.1:$http
S=https://127.0.0.1:$https
c() { curl -sS --interface "$client" --cacert "$tls/cacert.pem" "$@"; }

# --- 4. Public files, served by nginx itself.
run c -o "$work/got/img" -w '%{http_code}' "$H/confluent-public/os/prof/boot.img"
expect_out 200
cmp -s "$work/got/img" "$pdir/boot.img" || fail "boot.img through nginx differs from the file"
run c -o "$work/got/part" -D "$work/got/part.h" -r 1000-1999 -w '%{http_code}' "$H/confluent-public/os/prof/boot.img"
expect_out 206
grep -qix $'content-range: bytes 1000-1999/200003\r' "$work/got/part.h" || fail "Range: $(cat "$work/got/part.h")"
cmp -s "$work/got/part" <(tail -c +1001 "$pdir/boot.img" | head -c 1000) || fail "the range's bytes differ"
run c -o "$work/got/tail" -r -7 -w '%{http_code}' "$S/confluent-public/os/prof/boot.img"
expect_out 206
cmp -s "$work/got/tail" <(tail -c 7 "$pdir/boot.img") || fail "the suffix range over HTTPS differs"
run c -o "$work/got/vmlinuz" -w '%{http_code}' "$H/confluent-public/os/prof/boot/kernel"
expect_out 200
cmp -s "$work/got/vmlinuz" "$lib/distributions/deb12/install.amd/vmlinuz" || fail "the kernel's links were not followed"
run c -o /dev/null -w '%{http_code}' "$H/confluent-public/os/"
expect_out 403  # no listing
for p in /confluent-public/../../etc/confluent/cfg/attributes.sqlite \
  /confluent-public/%2e%2e/%2e%2e/etc/confluent/cfg/attributes.sqlite \
  /confluent-public/os/prof/distribution/..%2f..%2f..%2f..%2fetc/confluent/cfg/attributes.sqlite; do
  run c --path-as-is -o "$work/got/trav" -w '%{http_code}' "$H$p"
  [[ "$out" == 4?? ]] || fail "traversal $p: $out"
  ! grep -q 'SQLite format' "$work/got/trav" || fail "traversal $p returned the attribute store"
done

# --- 5. The boot redirect, through nginx, with a forged X-Forwarded-For the service must
# not take: its access log names the client nginx saw.
bymac=/confluent-api/boot/by-mac/${mac//:/-}/ipxe
run c -o /dev/null -H 'X-Forwarded-For: 203.0.113.9' -w '%{http_code} %{redirect_url}' "$H$bymac"
expect_out "302 $H/confluent-public/os/prof/boot.ipxe"
run c -L "$H$bymac"
expect_rc 0
expect_out "$(cat "$pdir/boot.ipxe")"
run c -o /dev/null -w '%{http_code} %{redirect_url}' "$S$bymac"
expect_out "302 $S/confluent-public/os/prof/boot.ipxe"
logged=$(awk -v p="$bymac\"" '$4 == p' "$svclog")
[ "$(wc -l <<<"$logged")" -eq 3 ] || fail "expected 3 by-mac lines in the service's log: $logged"
awk -v c="$client" '$1 != c || $2 != "n1" || $5 != 302 { bad = 1 } END { exit bad }' <<<"$logged" ||
  fail "the service did not log the by-mac requests as $client n1 ... 302: $logged"
! grep -q 203.0.113.9 "$svclog" || fail "the service took the forged X-Forwarded-For"
! grep -q '"GET /confluent-public/' "$svclog" || fail "public files reached the service: nginx should serve them"
grep -q "^$client .*\"GET /confluent-public/os/prof/boot.img HTTP/1.1\" 200 200003 " "$ngx/access.log" ||
  fail "nginx's access log lacks the public file it served"

# --- 6. The node API with its underscore headers.
run c -H "CONFLUENT_IDS: uuid=00000000-0000-0000-0000-000000000000/mac=$mac" "$H/confluent-api/self/whoami"
expect_out n1
key=nginx-test-api-key-0123456789
hash=$(openssl passwd -6 "$key")
must nodeattrib n1 deployment.apiarmed=once
# X-Forwarded-Proto: plain HTTP is refused for the API (useinsecureprotocols=firmware)...
run c -w ' %{http_code}' -H 'CONFLUENT_NODENAME: n1' --data-binary "$hash" "$H/confluent-api/self/registerapikey"
expect_out_has "plain HTTP refused"
expect_out_has " 403"
# ...HTTPS is not; the client (127.0.0.5, from X-Forwarded-For) is on loopback, so armed.
run c -w '%{http_code}' -H 'CONFLUENT_NODENAME: n1' --data-binary "$hash" "$S/confluent-api/self/registerapikey"
expect_out 200
run nodeattrib n1 deployment.apiarmed
expect_out "n1: deployment.apiarmed:"  # "once" was used up
# deploy_server is the host the node asked for (nginx passes Host).
run c -H 'Host: 192.0.2.2' -H 'CONFLUENT_NODENAME: n1' -H "CONFLUENT_APIKEY: $key" -w '%{http_code}' \
  "$S/confluent-api/self/deploycfg2"
expect_out_has "nodename: n1"
expect_out_has "profile: prof"
expect_out_has "deploy_server: 192.0.2.2"
[[ "$out" == *200 ]] || fail "deploycfg2 over HTTPS"
run c -H 'CONFLUENT_NODENAME: n1' -H "CONFLUENT_APIKEY: $key" -w ' %{http_code}' "$H/confluent-api/self/deploycfg2"
expect_out_has " 403"
run c -H 'CONFLUENT_NODENAME: n1' -H 'CONFLUENT_APIKEY: wrong' -w ' %{http_code}' "$S/confluent-api/self/deploycfg2"
expect_out_has " 401"
grep -q "^$client n1 \"GET /confluent-api/self/deploycfg2\" 200 " "$svclog" || fail "deploycfg2 not logged as $client n1 200"
# A body over the service's 64 KiB limit stops at nginx.
head -c 100000 /dev/zero | tr '\0' x >"$work/big"
run c -o /dev/null -w '%{http_code}' -H 'CONFLUENT_NODENAME: n1' --data-binary @"$work/big" \
  "$S/confluent-api/self/updatestatus"
expect_out 413
! grep -q '"POST /confluent-api/self/updatestatus"' "$svclog" || fail "nginx passed the 100 kB body to the service"

# --- 7. Both still up, nothing logged as an error by nginx.
kill -0 "$svc_pid" 2>/dev/null || fail "confluent-deployd exited"
kill -0 "$ngx_pid" 2>/dev/null || fail "nginx exited"
# (but the two refusals above, which nginx logs as errors)
errors=$(grep -E '\[(error|crit|alert|emerg)\]' "$ngx/error.log" |
  grep -vE 'directory index of .* is forbidden|client intended to send too large body')
[ -z "$errors" ] || fail "nginx logged errors: $(head -n 3 <<<"$errors")"
