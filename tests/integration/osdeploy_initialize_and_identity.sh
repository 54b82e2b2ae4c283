# osdeploy initialize (every flag, idempotent) and identity images, in a private state root.
mkdir -p "$CONFLUENT_ROOT/root/.ssh" "$CONFLUENT_ROOT/etc/ssh"
ssh-keygen -q -t ed25519 -N '' -C root@test -f "$CONFLUENT_ROOT/root/.ssh/id_ed25519" || fail "ssh-keygen"
ssh-keygen -q -t ed25519 -N '' -f "$CONFLUENT_ROOT/etc/ssh/ssh_host_ed25519_key" || fail "ssh-keygen"
site=$CONFLUENT_ROOT/var/lib/confluent/public/site

run osdeploy initialize
expect_rc 2
expect_err_has "Nothing was done, use initialize -i for interactive mode"

# Interactive: one question per step; only the steps answered y are done.
run_input $'n\ny\nn\nn\nn\nn\nn\n' osdeploy initialize -i
expect_rc 0
expect_err_has "Create the SSH CA (-s)? (y/N)"
[ -s "$CONFLUENT_ROOT/etc/confluent/ssh/ca" ] || fail "-i with y for -s made no SSH CA"
[ ! -e "$CONFLUENT_ROOT/etc/confluent/tls/cacert.pem" ] || fail "-i made a TLS CA it was told not to"

run osdeploy initialize -u -s -k -t -p -l -a
expect_rc 0
expect_out_has "Site initramfs content packed successfully"
for f in confluent_uuid initramfs.cpio initramfs.tgz "ssh/$(hostname -s).ca" "ssh/$(hostname -s).rootpubkey" \
         "ssh/$(hostname -s).automationpubkey" "tls/$(hostname -s).pem"; do
  [ -s "$site/$f" ] || fail "missing $site/$f"
done
[ -s "$CONFLUENT_ROOT/srv/tftp/confluent/x86_64/ipxe.efi" ] || fail "no ipxe.efi in the TFTP root"
cmp -s /usr/lib/ipxe/undionly.kkpxe "$CONFLUENT_ROOT/srv/tftp/confluent/x86_64/ipxe.kkpxe" || fail "ipxe.kkpxe differs"
grep -q '^@cert-authority \* ssh-ed25519 ' "$CONFLUENT_ROOT/etc/ssh/ssh_known_hosts" || fail "CA not trusted"
[ -s "$CONFLUENT_ROOT/etc/ssh/ssh_host_ed25519_key-cert.pub" ] || fail "host key not signed"
ssh-keygen -L -f "$CONFLUENT_ROOT/etc/ssh/ssh_host_ed25519_key-cert.pub" | grep -q 'host certificate' || fail "not a host cert"
grep -q '^HostbasedAuthentication yes' "$CONFLUENT_ROOT/etc/ssh/sshd_config.d/confluent-hostbased.conf" || fail "sshd config"
# The web service certificate is signed by the site CA and names this host.
openssl verify -CAfile "$CONFLUENT_ROOT/etc/confluent/tls/cacert.pem" "$CONFLUENT_ROOT/etc/confluent/tls/srvcert.pem" >/dev/null ||
  fail "srvcert does not verify against the site CA"
openssl x509 -in "$CONFLUENT_ROOT/etc/confluent/tls/srvcert.pem" -noout -text | grep -q "DNS:$(hostname)" || fail "no SAN"
[ "$(stat -c %a "$CONFLUENT_ROOT/etc/confluent/tls/srvkey.pem")" = 600 ] || fail "server key is not 0600"
# The site archive: cpio newc with the site files, owned by root.
list=$(cpio -itv --quiet < "$site/initramfs.cpio")
grep -q ' confluent_uuid$' <<<"$list" || fail "cpio lacks confluent_uuid: $list"
grep -q "tls/$(hostname -s).pem" <<<"$list" || fail "cpio lacks the CA"
! grep -v ' root  *root ' <<<"$list" | grep -q . || fail "cpio entries not owned by root: $list"
tar -tzf "$site/initramfs.tgz" | grep -q '^confluent_uuid$' || fail "tgz lacks confluent_uuid"

# A second run changes nothing: same bytes, same times.
tree_sum() { (cd "$CONFLUENT_ROOT" && find . -type f -print0 | sort -z | xargs -0 sha256sum | sha256sum); }
before=$(tree_sum)
stamp=$(stat -c %Y.%N "$site/initramfs.cpio")
sleep 1
run osdeploy initialize -u -s -k -t -p -l -a
expect_rc 0
expect_out "Site content is up to date"
[ "$(stat -c %Y.%N "$site/initramfs.cpio")" = "$stamp" ] || fail "initramfs.cpio was rewritten"
after=$(tree_sum)
[ "$before" = "$after" ] || fail "a second initialize changed files"
# -r repacks to the same bytes.
sum=$(sha256sum < "$site/initramfs.cpio")
run osdeploy initialize -r
expect_out "Site initramfs content packed successfully"
[ "$(sha256sum < "$site/initramfs.cpio")" = "$sum" ] || fail "repacking changed the archive"
# -u without keys: a clear error.
rm "$CONFLUENT_ROOT"/root/.ssh/*.pub
run osdeploy initialize -u
expect_rc 1
expect_err_has "No user keys for root detected"

# Identity images.
must nodedefine 'r[1-2]' net.ipv4_address='10.20.0.{n1}/16' net.ipv4_gateway=10.20.0.254 net.hwaddr='00:11:22:33:44:0{n1}'
run osdeploy identimage 'r[1-2]'
expect_rc 0
img=$CONFLUENT_ROOT/var/lib/confluent/private/identity_images/r1.img
expect_out_has "r1: $img"
[ "$(stat -c %a "$img")" = 600 ] || fail "identity image is not 0600"
export MTOOLS_SKIP_CHECK=1
mlabel -i "$img" -s :: | grep -q CNFLNT_IDNT || fail "label: $(mlabel -i "$img" -s ::)"
yml=$(mtype -i "$img" ::cnflnt.yml)
grep -q '^nodename: r1$' <<<"$yml" || fail "cnflnt.yml: $yml"
grep -q 'ipv4_address: 10.20.0.1/16' <<<"$yml" || fail "no net config: $yml"
token=$(sed -n 's/^apitoken: //p' <<<"$yml")
[ ${#token} = 43 ] || fail "token '$token' is not 43 characters"
mtype -i "$img" ::cnflnt.jsn | grep -q '"nodename":"r1"' || fail "cnflnt.jsn"
mdir -i "$img" ::tls | grep -qi pem || fail "no tls/ in the image"
cmp -s <(mtype -i "$img" ::cnflnt.yml) "$CONFLUENT_ROOT/var/lib/confluent/private/identity_files/r1.yml" || fail "identity_files copy differs"
run nodeattrib r1 secret.selfapiarmtoken
expect_out "r1: secret.selfapiarmtoken: ********"
# A second image has a new token.
must osdeploy identimage r1
[ "$(mtype -i "$img" ::cnflnt.yml | sed -n 's/^apitoken: //p')" != "$token" ] || fail "token reused"
run osdeploy identimage nosuchnode
expect_rc 3
