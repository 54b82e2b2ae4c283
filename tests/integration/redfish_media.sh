# nodemedia list, attach, detachall and upload against emulated Redfish BMCs of every
# personality. The emulated BMCs fetch attached URLs like real ones, from a web server on
# loopback; uploads go to the XCC's own store (RDOC) or, elsewhere, are published under the
# public tree (served by a second web server) and attached from there.
source "$SOURCE_DIR/tests/integration/redfish/common.sh"
mkdir -p "$CONFLUENT_ROOT/static" "$CONFLUENT_ROOT/var/lib/confluent/public" "$CONFLUENT_ROOT/etc/confluent"
head -c 200000 /dev/urandom > "$CONFLUENT_ROOT/static/install.iso"
iso_sha=$(sha256sum < "$CONFLUENT_ROOT/static/install.iso" | cut -d' ' -f1)
public_port=$((static_port + 1))
start_fleet --serve-static "$CONFLUENT_ROOT/static:$static_port" \
  --serve-static "$CONFLUENT_ROOT/var/lib/confluent/public:$public_port:tls"
echo "public_url: https://127.0.0.1:$public_port/" > "$CONFLUENT_ROOT/etc/confluent/service.yaml"
url="http://127.0.0.1:$static_port/install.iso"

run nodemedia "$all_nodes" list
expect_rc 0
expect_out ""

run nodemedia "$all_nodes" attach "$url"
expect_rc 0
[ "$(grep -c ": $url (insecure)\$" <<<"$out")" = 5 ] || fail "attach lists the media: $out"
# Each BMC fetched the image into a CD-capable slot, mounted with Basic auth (a session's
# end must not unmount it).
for n in ngen ndell nhpe nsmc; do
  expect_state "$n" "[(m['fetched_sha256'], m['inserted_by']) for m in s['media'] if m['image']]" "[('$iso_sha', 'basic')]"
done
expect_state ndell "[m['id'] for m in s['media'] if m['image']]" "['1']"
expect_state nhpe "[m['id'] for m in s['media'] if m['image']]" "['2']"
expect_state nxcc "[m['id'] for m in s['media'] if m['image']]" "['EXT1']"
expect_state nsmc "[m['id'] for m in s['media'] if m['image']]" "['CD1']"
expect_no_sessions ngen ndell nhpe nxcc nsmc

# A second image goes to the next free slot; a URL the BMC cannot fetch is an error that
# names it, for that node only.
run nodemedia nxcc attach "http://127.0.0.1:$static_port/{node}.iso"
expect_rc 1
expect_err_has "nxcc: error: No virtual media device on this platform was able to accept the image"
expect_err_has "nxcc.iso"
run nodemedia nxcc,ngen list
expect_rc 0
[ "$(sorted "$out")" = "$(printf 'ngen: %s (insecure)\nnxcc: %s (insecure)' "$url" "$url")" ] || fail "list: $out"

run nodemedia "$all_nodes" detachall
expect_rc 0
expect_out ""
for n in ngen ndell nhpe nxcc nsmc; do expect_state "$n" "[m['id'] for m in s['media'] if m['image'] or m['inserted']]" "[]"; done
run nodemedia "$all_nodes" list
expect_out ""
# Nothing mounted: detachall is still a success.
run nodemedia nhpe,ndell detachall
expect_rc 0

# Upload: the XCC takes the file itself (RDOC); the others get it published at an
# unguessable URL and attached from there.
head -c 300000 /dev/urandom > "$CONFLUENT_ROOT/ident.img"
img_sha=$(sha256sum < "$CONFLUENT_ROOT/ident.img" | cut -d' ' -f1)
run nodemedia "$all_nodes" upload ident.img
expect_rc 0
expect_no_err  # no progress display in a pipe
[ "$(grep -c ": ident.img\$" <<<"$out")" = 1 ] || fail "the XCC lists the uploaded image by name: $out"
expect_out_has "nxcc: ident.img"
expect_state nxcc "[(u['name'], u['sha256']) for u in s['uploads']]" "[('ident.img', '$img_sha')]"
expect_state nxcc "[m['id'] for m in s['media'] if m['inserted']]" "['RDOC1']"
for n in ngen ndell nhpe nsmc; do
  expect_out_has "$n: https://127.0.0.1:$public_port/media/"
  expect_state "$n" "[m['fetched_sha256'] for m in s['media'] if m['image']]" "['$img_sha']"
done
published=$(find "$CONFLUENT_ROOT/var/lib/confluent/public/media" -name ident.img | wc -l)
[ "$published" = 4 ] || fail "expected 4 published copies, found $published"
urls=$(grep -o 'media/[0-9a-f]*/' <<<"$out" | sort -u | wc -l)
[ "$urls" = 4 ] || fail "every node must get its own URL"
run nodemedia "$all_nodes" detachall
expect_rc 0
[ -z "$(find "$CONFLUENT_ROOT/var/lib/confluent/public/media" -type f)" ] || fail "detachall leaves published files"
expect_state nxcc "s['uploads']" "[]"

# On a terminal the upload shows each node's progress, redrawn in place.
tty_out=$(script -qc "nodemedia nxcc upload $CONFLUENT_ROOT/ident.img" /dev/null) || fail "upload on a terminal failed"
grep -q 'nxcc:upload: ' <<<"$tty_out" && grep -q 'nxcc:complete: 100%' <<<"$tty_out" ||
  fail "no progress on a terminal: $tty_out"
must nodemedia nxcc detachall

# Per-node file names; a missing file fails that node only.
cp "$CONFLUENT_ROOT/ident.img" "$CONFLUENT_ROOT/ngen.img"
run nodemedia ngen,ndell upload "$CONFLUENT_ROOT/{node}.img"
expect_rc 1
expect_out_has "ngen: https://"
expect_err_has "ndell: error: Unable to locate requested file $CONFLUENT_ROOT/ndell.img"
must nodemedia ngen detachall

# The XCC keeps at most two uploads; its size limit is 50 MiB.
for i in 1 2; do cp "$CONFLUENT_ROOT/ident.img" "$CONFLUENT_ROOT/img$i.img"; must nodemedia nxcc upload "$CONFLUENT_ROOT/img$i.img"; done
cp "$CONFLUENT_ROOT/ident.img" "$CONFLUENT_ROOT/img3.img"
run nodemedia nxcc upload "$CONFLUENT_ROOT/img3.img"
expect_rc 1
expect_err_has "nxcc: error: Maximum number of uploaded media reached"
must nodemedia nxcc detachall
truncate -s 51M "$CONFLUENT_ROOT/big.img"
run nodemedia nxcc upload "$CONFLUENT_ROOT/big.img"
expect_rc 1
expect_err_has "File size exceeds limit"

# Without the licence for URL mounts the XCC says so.
ctl nxcc faults '{"nolicense": true}'
run nodemedia nxcc attach "$url"
expect_rc 1
expect_err_has "nxcc: error: XCC does not have required license for operation"

# Usage errors.
run nodemedia ngen attach install.iso
expect_rc 2
expect_err_has "Full URL required for attach"
run nodemedia ngen eject
expect_rc 2
run nodemedia ngen list extra
expect_rc 2
expect_no_sessions ngen ndell nhpe nxcc nsmc
