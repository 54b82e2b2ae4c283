# Nodes without a usable MAC are warned about on stderr and left out; the rest is printed.
must nodedefine 'n[1-3]'
must nodeattrib n1 net.hwaddr=aa:bb:cc:dd:ee:01
must nodeattrib n3 net.hwaddr=not-a-mac
run confluent2dnsmasq -s 10.1.0.1 'n[1-3]'
expect_rc 0
expect_err "n2: warning: no net.hwaddr
n3: warning: net.hwaddr 'not-a-mac' is not a MAC address"
expect_out_has "dhcp-host=aa:bb:cc:dd:ee:01,n1"
[ "$(grep -c '^dhcp-host=' <<<"$out")" = 1 ] || fail "only n1 has a host line"
