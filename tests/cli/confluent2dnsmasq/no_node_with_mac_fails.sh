# When no node has a MAC there is nothing to boot: exit 1, nothing on stdout.
must nodedefine 'n[1-2]'
run confluent2dnsmasq -s 10.1.0.1 'n[1-2]'
expect_rc 1
expect_out ""
expect_err_has "n1: warning: no net.hwaddr"
expect_err_has "confluent2dnsmasq: error: no node of 'n[1-2]' has a usable net.hwaddr"
run confluent2dnsmasq -s not-an-address n1
expect_rc 2
expect_err_has "server 'not-an-address' is not an IPv4 address"
