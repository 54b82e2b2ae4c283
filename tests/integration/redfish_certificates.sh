# BMC certificate pinning (pubkeys.tls_hardwaremanager, pubkeys.addpolicy): trust on first
# use, refusal of a changed certificate before any credential is sent, the manual and
# ca-only policies.
source "$SOURCE_DIR/tests/integration/redfish/common.sh"
start_fleet
pin_of() {
  openssl x509 -in "$emu/certs/$1.pem" -outform DER | sha512sum | cut -d' ' -f1
}

# First contact pins every BMC's certificate (sha512 of the DER, as confluent writes it).
run nodeattrib rf pubkeys.tls_hardwaremanager
expect_out_lacks "sha512"
must nodepower rf
run nodeattrib ngen pubkeys.tls_hardwaremanager
expect_out "ngen: pubkeys.tls_hardwaremanager: sha512\$$(pin_of ngen)"

# A changed certificate is refused, naming both fingerprints; the others go on, and the
# BMC never saw the credentials.
ctl ndell faults '{"certchange": true}'
ctl ndell reset '{}'
run nodepower rf
expect_rc 1
[ "$(grep -c ': off$' <<<"$out")" = 4 ] || fail "the other nodes answer: $out"
expect_err_has "ndell: error: BMC 127.0.0.1:${bmc_port[ndell]} certificate changed: pinned sha512\$$(pin_of ndell | cut -c1-33)..., presented sha512\$"
expect_state ndell "s['counters']['requests']" 0
run nodeattrib ndell pubkeys.tls_hardwaremanager
expect_out "ndell: pubkeys.tls_hardwaremanager: sha512\$$(pin_of ndell)"
# Clearing the pin accepts the new certificate on the next contact.
must nodeattrib ndell -c pubkeys.tls_hardwaremanager
must nodepower ndell
run nodeattrib ndell pubkeys.tls_hardwaremanager
expect_out "ndell: pubkeys.tls_hardwaremanager: sha512\$$(openssl x509 -in "$emu/certs/ndell.alt.pem" -outform DER | sha512sum | cut -d' ' -f1)"
# A pin may also be given as sha256, as some tools print it.
must nodeattrib nhpe pubkeys.tls_hardwaremanager="sha256\$$(openssl x509 -in "$emu/certs/nhpe.pem" -outform DER | sha256sum | cut -d' ' -f1)"
must nodepower nhpe

# manual: an unpinned certificate is refused, and not learned.
must nodeattrib nxcc -c pubkeys.tls_hardwaremanager
must nodeattrib nxcc pubkeys.addpolicy=manual
run nodepower nxcc
expect_rc 1
expect_err_has "nxcc: error: BMC 127.0.0.1:${bmc_port[nxcc]} certificate sha512\$"
expect_err_has "is not pinned and pubkeys.addpolicy does not allow adding it"
run nodeattrib nxcc pubkeys.tls_hardwaremanager
expect_out_lacks "sha512"

# ca-only: a self-signed certificate is refused even when pinned.
must nodeattrib nsmc pubkeys.addpolicy=ca-only
run nodepower nsmc
expect_rc 1
expect_err_has "nsmc: error: BMC 127.0.0.1:${bmc_port[nsmc]} certificate is not signed by a trusted CA (pubkeys.addpolicy=ca-only)"
