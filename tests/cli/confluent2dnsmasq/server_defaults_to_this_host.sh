# Without -s the server is an IPv4 address of this host (its first other than loopback).
must nodedefine n1
must nodeattrib n1 net.hwaddr=aa:bb:cc:dd:ee:01
addrs=$(hostname -I 2>/dev/null | tr ' ' '\n' | grep -v ':' | grep -v '^127\.')
[ -n "$addrs" ] || fail "this host has no IPv4 address to test with"
run confluent2dnsmasq n1
expect_rc 0
server=$(sed -n 's|^dhcp-boot=tag:ipxe,http://\([0-9.]*\)/confluent-api/boot/by-mac/.*|\1|p' <<<"$out")
grep -qxF -- "$server" <<<"$addrs" || fail "server '$server' is not one of this host's addresses: $addrs"
