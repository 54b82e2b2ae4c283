# --proxy: proxy DHCP beside another DHCP server: no addresses handed out, a proxy range per
# subnet, pxe-service lines chaining firmware to iPXE and iPXE to the by-mac URL.
command -v dnsmasq >/dev/null || fail "dnsmasq is missing (Debian dnsmasq-base, see scripts/install-deps)"
must nodedefine 'n[1-2]'
must nodeattrib n1 net.hwaddr=aa:bb:cc:dd:ee:01 net.ipv4_address=10.20.0.1/16
must nodeattrib n2 net.hwaddr=aa:bb:cc:dd:ee:02 net.ipv4_address=10.20.0.2/16
run confluent2dnsmasq --proxy -s 10.1.0.1 'n[1-2]'
expect_rc 0
expect_out_has "dhcp-host=aa:bb:cc:dd:ee:01,n1
dhcp-host=aa:bb:cc:dd:ee:02,n2"
expect_out_lacks "10.20.0.1"
[ "$(grep -c '^dhcp-range=' <<<"$out")" = 1 ] || fail "one range per subnet"
expect_out_has "dhcp-range=10.20.0.0,proxy,255.255.0.0"
expect_out_lacks "dhcp-boot="
expect_out_has 'pxe-service=tag:!ipxe,x86PC,"confluent",confluent/x86_64/ipxe.kkpxe,10.1.0.1'
expect_out_has 'pxe-service=tag:!ipxe,x86-64_EFI,"confluent",confluent/x86_64/ipxe.efi,10.1.0.1'
expect_out_has 'pxe-service=tag:!ipxe,BC_EFI,"confluent",confluent/x86_64/ipxe.efi,10.1.0.1'
expect_out_has 'pxe-service=tag:ipxe,x86-64_EFI,"confluent",http://10.1.0.1/confluent-api/boot/by-mac/${mac:hexhyp}/ipxe'
printf '%s\n' "$out" > "$CONFLUENT_ROOT/proxy.conf"
run dnsmasq --test -C "$CONFLUENT_ROOT/proxy.conf"
expect_rc 0
expect_err_has "syntax check OK"
