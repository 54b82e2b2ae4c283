# confluent-deployd over real HTTP and HTTPS on loopback: listeners, public files with
# Range and HEAD, boot redirects, the node API with a registered key over TLS checked
# against the site CA, the access log, bad start-up arguments and a clean SIGTERM.
public=$CONFLUENT_ROOT/var/lib/confluent/public
mkdir -p "$public/os/p1/boot"
printf '#!ipxe\nkernel boot/kernel\nboot\n' > "$public/os/p1/boot.ipxe"
head -c 3000000 /dev/urandom > "$public/os/p1/boot/kernel"
must osdeploy initialize -t
must nodedefine n1 net.hwaddr=52:54:00:12:34:56 id.uuid=8f2a1c3e-1111-2222-3333-444455556666 \
  deployment.useinsecureprotocols=firmware crypted.rootpassword=rootpw dns.servers=10.9.0.1
must nodedeploy -p n1 p1 2>/dev/null || must nodeattrib n1 deployment.pendingprofile=p1 deployment.apiarmed=once

svc_pid=""
trap '[ -n "$svc_pid" ] && kill "$svc_pid" 2>/dev/null; rm -rf "$CONFLUENT_ROOT"' EXIT
confluent-deployd --http 127.0.0.1:0 --https 127.0.0.1:0 --access-log "$CONFLUENT_ROOT/access.log" \
  2> "$CONFLUENT_ROOT/svc.err" &
svc_pid=$!
for _ in $(seq 50); do
  [ "$(grep -c 'listening on' "$CONFLUENT_ROOT/svc.err")" -eq 2 ] && break
  sleep 0.1
done
http=$(sed -n 's|.*listening on \(http://.*\)|\1|p' "$CONFLUENT_ROOT/svc.err")
https_port=$(sed -n 's|.*listening on https://127.0.0.1:\([0-9]*\)|\1|p' "$CONFLUENT_ROOT/svc.err")
[ -n "$http" ] && [ -n "$https_port" ] || fail "service did not start: $(cat "$CONFLUENT_ROOT/svc.err")"
# The site certificate names this host: reach 127.0.0.1 by that name and check it with the CA.
host=$(hostname)
https="https://$host:$https_port"
tls=(--cacert "$CONFLUENT_ROOT/etc/confluent/tls/cacert.pem" --resolve "$host:$https_port:127.0.0.1")
status() { curl -s -o /dev/null -w '%{http_code}' --max-time 10 "$@"; }

# Boot redirect over HTTP (firmware allowed) and HTTPS, by every kind of id.
run curl -s -o /dev/null -w '%{http_code} %{redirect_url}' --max-time 10 "$http/confluent-api/boot/by-mac/52-54-00-12-34-56/ipxe"
expect_out "302 $http/confluent-public/os/p1/boot.ipxe"
run curl -s -o /dev/null -w '%{http_code} %{redirect_url}' --max-time 10 "${tls[@]}" "$https/confluent-api/boot/by-uuid/8F2A1C3E-1111-2222-3333-444455556666/ipxe"
expect_out "302 $https/confluent-public/os/p1/boot.ipxe"
# iPXE follows the redirect: the whole chain from the by-node URL.
run curl -s -L --max-time 10 "$http/confluent-api/boot/by-node/n1/ipxe"
expect_out "$(cat "$public/os/p1/boot.ipxe")"
[ "$(status "$http/confluent-api/boot/by-mac/52-54-00-99-99-99/ipxe")" = 404 ] || fail "unknown MAC"

# Public files: whole, a Range, HEAD, over HTTP and HTTPS; nothing outside the tree.
curl -s --max-time 10 "$http/confluent-public/os/p1/boot/kernel" | cmp - "$public/os/p1/boot/kernel" || fail "kernel differs"
curl -s --max-time 10 "${tls[@]}" "$https/confluent-public/os/p1/boot/kernel" | cmp - "$public/os/p1/boot/kernel" ||
  fail "kernel differs over HTTPS"
run curl -s --max-time 10 -r 1000-1999 -D "$CONFLUENT_ROOT/headers" "$http/confluent-public/os/p1/boot/kernel" -o "$CONFLUENT_ROOT/part"
cmp "$CONFLUENT_ROOT/part" <(tail -c +1001 "$public/os/p1/boot/kernel" | head -c 1000) || fail "range content"
grep -qi '^content-range: bytes 1000-1999/3000000' "$CONFLUENT_ROOT/headers" || fail "no Content-Range: $(cat "$CONFLUENT_ROOT/headers")"
run curl -s -I --max-time 10 "$http/confluent-public/os/p1/boot/kernel"
expect_out_has "Content-Length: 3000000"
[ "$(status --path-as-is "$http/confluent-public/os/p1/../../../../../etc/passwd")" = 403 ] || fail "traversal"
[ "$(status "$http/confluent-public/os/p1/%2e%2e/%2e%2e/%2e%2e/cfg")" = 403 ] || fail "encoded traversal"
[ "$(status -r 5000000- "$http/confluent-public/os/p1/boot/kernel")" = 416 ] || fail "unsatisfiable range"

# The node API, as the stock scripts use it: whoami, register a key (armed once), deploycfg2.
run curl -s --max-time 10 -H 'CONFLUENT_IDS: uuid=8f2a1c3e-1111-2222-3333-444455556666/mac=52:54:00:12:34:56' "$http/confluent-api/self/whoami"
expect_out "n1"
hash=$(openssl passwd -6 node-secret-key)
auth=(-H 'CONFLUENT_NODENAME: n1' -H 'CONFLUENT_APIKEY: node-secret-key')
# Plain HTTP carries the node API only with useinsecureprotocols=always.
[ "$(status "${auth[@]}" "$http/confluent-api/self/deploycfg2")" = 401 ] || fail "deploycfg2 before registration"
[ "$(status -H 'CONFLUENT_NODENAME: n1' --data-binary "$hash" "$http/confluent-api/self/registerapikey")" = 403 ] ||
  fail "registerapikey over plain HTTP"
[ "$(status "${tls[@]}" -H 'CONFLUENT_NODENAME: n1' --data-binary "$hash" "$https/confluent-api/self/registerapikey")" = 200 ] ||
  fail "registerapikey over HTTPS"
run nodedeploy n1
expect_out "n1: pending: p1"  # the arming is used up
run curl -s --max-time 10 "${tls[@]}" "${auth[@]}" "$https/confluent-api/self/deploycfg2"
expect_out_has "profile: p1"
expect_out_has "deploy_server: $host"
expect_out_has "rootpassword: \$6\$"
expect_out_has "protocol: https"
[ "$(status "${auth[@]}" "$http/confluent-api/self/deploycfg2")" = 403 ] || fail "deploycfg2 over plain HTTP"
run curl -s --max-time 10 "${tls[@]}" "${auth[@]}" --data-binary $'status: staged\nstate: installing' "$https/confluent-api/self/updatestatus"
expect_rc 0
run nodedeploy n1
expect_out_has "n1: staged: p1 (state: installing - "

# The access log: one line per request, with the node when there is one.
grep -q '^127.0.0.1 n1 "GET /confluent-api/boot/by-mac/52-54-00-12-34-56/ipxe" 302 0$' "$CONFLUENT_ROOT/access.log" ||
  fail "access log: $(cat "$CONFLUENT_ROOT/access.log")"
grep -q '^127.0.0.1 - "GET /confluent-public/os/p1/boot/kernel" 206 1000$' "$CONFLUENT_ROOT/access.log" ||
  fail "access log lacks the range"
grep -q '^127.0.0.1 n1 "POST /confluent-api/self/registerapikey" 200 ' "$CONFLUENT_ROOT/access.log" ||
  fail "access log lacks the registration"

# Keep-alive: two requests on one connection (the second reuses it).
run curl -sv -o /dev/null -o /dev/null --max-time 10 "$http/confluent-public/os/p1/boot.ipxe" "$http/confluent-public/os/p1/boot.ipxe"
expect_err_has "Re-using existing connection"

# SIGHUP (logrotate) reopens the access log; the service stays up.
mv "$CONFLUENT_ROOT/access.log" "$CONFLUENT_ROOT/access.log.1"
kill -HUP "$svc_pid"
for _ in $(seq 50); do
  curl -s -o /dev/null --max-time 5 "$http/confluent-public/os/p1/boot.ipxe"
  [ -s "$CONFLUENT_ROOT/access.log" ] && break
  sleep 0.1
done
kill -0 "$svc_pid" 2>/dev/null || fail "SIGHUP stopped the service"
grep -q '"GET /confluent-public/os/p1/boot.ipxe" 200' "$CONFLUENT_ROOT/access.log" || fail "no new access log after SIGHUP"

# SIGTERM stops it at once, with status 0.
kill -TERM "$svc_pid"
for _ in $(seq 50); do kill -0 "$svc_pid" 2>/dev/null || break; sleep 0.1; done
kill -0 "$svc_pid" 2>/dev/null && fail "still running 5 s after SIGTERM"
wait "$svc_pid"
[ $? -eq 0 ] || fail "exit status after SIGTERM"
svc_pid=""

# Start-up errors: one line naming the culprit.
run confluent-deployd --http 127.0.0.1
expect_rc 2
expect_err_has "listen address '127.0.0.1' is not ADDR:PORT"
run confluent-deployd --http 192.0.2.1:0
expect_rc 1
expect_err_has "cannot listen on '192.0.2.1:0'"
run confluent-deployd --https 127.0.0.1:0 --cert "$CONFLUENT_ROOT/none.pem"
expect_rc 1
expect_err_has "HTTPS needs the site certificate"
