# End to end: a real machine (a QEMU VM) network-boots into the Debian installer driven by
# the suite. osdeploy imports a Debian ISO carrying the real installer kernel and initrd,
# nodedeploy -p sets the node's pending profile and arms it, confluent-deployd serves the boot. The VM's
# firmware (SeaBIOS + iPXE) asks for /confluent-api/boot/by-mac/<mac>/ipxe, follows the 302
# to the profile's boot.ipxe, fetches the kernel and initrds, and the installer then fetches
# the profile's preseed.cfg, whose early_command runs the profile's scripts/pre.sh, which
# registers an API key and gets its deploycfg from the node API. Checked on the service's
# access log, the attribute store and the VM's serial console.
#
# QEMU user networking with restrict=on: the guest reaches nothing but the one guestfwd
# address (10.0.2.100:80, piped by socat to the service on loopback), so no traffic leaves
# this machine. TCG only: KVM is not usable on these machines (iPXE and the installer hang).
node=vm1
mac=52:54:00:12:34:56
deployserver=10.0.2.100
work=$CONFLUENT_ROOT/netboot
svclog=$work/deployd.log
serial=$work/serial.log
qemulog=$work/qemu.log
mkdir -p "$work"
lib=$CONFLUENT_ROOT/var/lib/confluent
export MTOOLS_SKIP_CHECK=1

# Missing peers fail the test (CI installs them), they do not skip it.
for tool in qemu-system-x86_64 socat curl xorriso; do
  command -v "$tool" >/dev/null || fail "$tool is not installed (apt-get install qemu-system-x86 ipxe-qemu socat curl xorriso)"
done
# Debian's QEMU loads the NIC's iPXE option ROM from here (package ipxe-qemu).
[ -r /usr/lib/ipxe/qemu/efi-virtio.rom ] || fail "ipxe-qemu is not installed (no /usr/lib/ipxe/qemu/efi-virtio.rom)"

svc_pid='' vm_pid=''
show_logs() {
  echo "--- confluent-deployd log (tail):" >&2
  tail -n 30 "$svclog" >&2 2>/dev/null
  echo "--- VM serial console (tail, control sequences removed):" >&2
  tail -c 20000 "$serial" 2>/dev/null | sed 's/\x1b\[[0-9;?]*[A-Za-z]//g; s/\x1b[()][0-9A-Za-z]//g' | tr -d '\r' |
    tr -s ' ' | fold -w 160 | grep -av '^[[:space:]]*$' | tail -n 30 >&2
  echo "--- qemu output:" >&2
  tail -n 10 "$qemulog" >&2 2>/dev/null
}
stop_vm() {
  [ -n "$vm_pid" ] || return 0
  kill "$vm_pid" 2>/dev/null  # timeout passes the signal on to qemu
  wait "$vm_pid" 2>/dev/null
  vm_pid=''
}
# qemu starts one socat per guest TCP connection, through glib's double fork: they are not
# its children but init's. Each ends once qemu and the service have both closed their side;
# any still there is found by its exact command line (our service's port) and ended.
stop_socats() {
  local i pids
  [ -n "${port:-}" ] || return 0
  for i in 1 2 3 4 5 6 7 8 9 10; do
    pids=$(ps -eo pid=,args= | awk -v a="socat - TCP:127.0.0.1:$port" '{ p = $1; sub(/^ *[0-9]+ /, "") } $0 == a { print p }')
    [ -n "$pids" ] || return 0
    # shellcheck disable=SC2086  # one pid per word
    [ "$i" -gt 5 ] && kill $pids 2>/dev/null
    sleep 0.2
  done
}
cleanup() {
  local status=$?
  stop_vm
  if [ -n "$svc_pid" ]; then
    kill "$svc_pid" 2>/dev/null
    wait "$svc_pid" 2>/dev/null
  fi
  stop_socats
  [ "$status" -eq 0 ] || show_logs
  rm -rf "$CONFLUENT_ROOT"
}
trap cleanup EXIT
trap 'exit 143' TERM  # so that cleanup sees a failure and shows the logs
trap 'exit 130' INT

# --- 1. The Debian media, imported; the profile pointed at the address the VM reaches us at.
bash "$SOURCE_DIR/tests/integration/osdeploy/make_iso.sh" debian12 "$work/debian.iso" >/dev/null 2>&1 ||
  fail "make_iso.sh debian12 failed"
must osdeploy initialize -t  # the TLS CA and the site archive (site.cpio, one of the initrds)
must osdeploy import "$work/debian.iso"
profile=$(sed -n 's/^Deployment profile created: //p' <<<"$out")
[ -n "$profile" ] || fail "import created no profile"
pdir=$lib/public/os/$profile
grep -q '^kernelargs:.*%%DEPLOYSERVER%%' "$pdir/profile.yaml" || fail "no %%DEPLOYSERVER%% in the stock kernelargs"
# console=ttyS0: the kernel and the installer talk on the serial console the test reads (a
# site with serial consoles makes the same change).
sed -i -e "/^kernelargs:/s/%%DEPLOYSERVER%%/$deployserver/g" -e '/^kernelargs:/s/$/ console=ttyS0,115200n8/' \
  "$pdir/profile.yaml"
run osdeploy updateboot "$profile"
expect_rc 0
expect_out "Updated: $profile"
! grep -q '%%' "$pdir/boot.ipxe" || fail "placeholders left in boot.ipxe: $(cat "$pdir/boot.ipxe")"
grep -q "url=http://$deployserver/confluent-public/os/$profile/preseed.cfg" "$pdir/boot.ipxe" ||
  fail "boot.ipxe lacks the preseed URL: $(cat "$pdir/boot.ipxe")"
# What iPXE will fetch, relative to boot.ipxe: the kernel first, then the initrds.
mapfile -t fetches < <(sed -n 's/^imgfetch \([^ ]*\).*/\1/p' "$pdir/boot.ipxe")
{ [ "${#fetches[@]}" -ge 2 ] && [ "${fetches[0]}" = boot/kernel ]; } || fail "boot.ipxe: $(cat "$pdir/boot.ipxe")"

# --- 2. The node, with its deployment pending (-p: no BMC to ask). iPXE has no site CA to
# check a certificate with, and debian-installer has no curl for HTTPS: the node may use
# plain HTTP for its boot and for the node API.
must nodedefine "$node"
must nodeattrib "$node" net.hwaddr="$mac" deployment.useinsecureprotocols=always
must nodedeploy -p "$node" "$profile"
run nodedeploy "$node"
expect_out_has "$node: pending: $profile"

# --- 3. The service, on a port the kernel picks; it says which once bound. `timeout` is a
# last resort should this shell be killed before its trap runs.
timeout 290 confluent-deployd --http 127.0.0.1:0 2>"$svclog" &
svc_pid=$!
port=''
for _ in $(seq 1 100); do
  port=$(sed -n 's|^confluent-deployd: listening on http://127\.0\.0\.1:\([0-9][0-9]*\)$|\1|p' "$svclog" | head -n 1)
  [ -n "$port" ] && break
  kill -0 "$svc_pid" 2>/dev/null || break
  sleep 0.1
done
[ -n "$port" ] || fail "confluent-deployd did not report listening on 127.0.0.1 within 10 s"

# --- 4. The VM. DHCP (slirp's) hands iPXE the by-mac URL as its boot file. -vga none with
# graphics=off: SeaBIOS then copies the firmware's screen (iPXE's messages) to the serial
# port, so iPXE's progress is in the serial log too. No disk: the test stops at the preseed.
mac_dashed=${mac//:/-}
bymac=/confluent-api/boot/by-mac/$mac_dashed/ipxe
vm_start=$SECONDS
timeout 280 qemu-system-x86_64 -accel tcg -m 1024 -display none -vga none -machine graphics=off \
  -serial "file:$serial" -monitor none -no-reboot -pidfile "$work/qemu.pid" \
  -netdev "user,id=n0,restrict=on,guestfwd=tcp:$deployserver:80-cmd:socat - TCP:127.0.0.1:$port,bootfile=http://$deployserver$bymac" \
  -device "virtio-net-pci,netdev=n0,mac=$mac" -boot n </dev/null >"$qemulog" 2>&1 &
vm_pid=$!

# --- 5. Assertions, each awaited by a bounded poll.
# Access log lines: <client> <node or -> "<METHOD> <path>" <status> <bytes>.
# logline METHOD PATH STATUS: the number of the first line for that request ("*": any status).
logline() {
  awk -v m="\"$1" -v p="$2\"" -v s="$3" '$3 == m && $4 == p && (s == "*" || $5 == s) { print NR; exit }' "$svclog"
}
requested() { [ -n "$(logline "$@")" ]; }
# The serial log without carriage returns (the firmware and the installer end lines with CRLF).
console() { tr -d '\r' <"$serial"; }
# wait_until SECONDS WHAT COMMAND...: COMMAND succeeds within SECONDS of the VM's start, or
# the test fails (at once when the VM or the service is gone). One try a second.
wait_until() {
  local limit=$1 what=$2 i
  shift 2
  for ((i = 0; i <= limit; i++)); do
    "$@" && return 0
    ((SECONDS - vm_start < limit)) || fail "$what: not within ${limit}s of the VM's start"
    kill -0 "$vm_pid" 2>/dev/null || fail "$what: the VM stopped first"
    kill -0 "$svc_pid" 2>/dev/null || fail "$what: confluent-deployd exited first"
    sleep 1
  done
  fail "$what: not within $limit tries"
}
# Measured on a 2-core machine: iPXE asks after ~9 s, the installer fetches the preseed after
# ~100-110 s. The limits leave room for a loaded machine and keep the test under 300 s.
# A wrong answer fails at once rather than at the time limit.
answered() { requested GET "$1" "$2" || fail "$1: answered $(awk -v p="$1\"" '$4 == p { print $5; exit }' "$svclog"), not $2"; }
wait_until 60 "iPXE fetches $bymac" requested GET "$bymac" '*'
answered "$bymac" 302
ipxe_at=$((SECONDS - vm_start))
public=/confluent-public/os/$profile
wait_until 90 "iPXE fetches boot.ipxe and everything it names" requested GET "$public/${fetches[-1]}" '*'
for f in boot.ipxe "${fetches[@]}"; do answered "$public/$f" 200; done
wait_until 200 "the installer fetches the preseed" requested GET "$public/preseed.cfg" '*'
answered "$public/preseed.cfg" 200
preseed_at=$((SECONDS - vm_start))
# preseed/early_command: fetches scripts/functions and scripts/pre.sh, runs pre.sh, which asks
# the node API who it is (self/whoami, by the VM's MAC: answered vm1), registers a new API
# key (the installer has no crypt(3) tool: the key goes in CONFLUENT_APIKEY and the service
# hashes it; nodedeploy armed the node for one registration), then with that key gets its
# deploycfg (self/deploycfg2) and, last, the scripts of pre.d (self/scriptlist/pre).
wait_until 230 "pre.sh asks for its pre.d script list" requested GET /confluent-api/self/scriptlist/pre '*'
pre_at=$((SECONDS - vm_start))
stop_vm

# The request chain, in order: by-mac (302) -> boot.ipxe -> kernel, initrds -> preseed ->
# the early_command's scripts -> pre.sh's node API calls.
chain=("GET $bymac 302" "GET $public/boot.ipxe 200")
for f in "${fetches[@]}"; do chain+=("GET $public/$f 200"); done
chain+=("GET $public/preseed.cfg 200" "GET $public/scripts/functions 200" "GET $public/scripts/pre.sh 200"
  "GET /confluent-api/self/whoami 200" "POST /confluent-api/self/registerapikey 200"
  "GET /confluent-api/self/deploycfg2 200" "GET /confluent-api/self/scriptlist/pre 200")
prev=0
for step in "${chain[@]}"; do
  read -r method path status <<<"$step"
  n=$(logline "$method" "$path" "$status")
  [ -n "$n" ] || fail "not in the access log: $step"
  [ "$n" -gt "$prev" ] || fail "out of order in the access log: $step (line $n, after line $prev)"
  prev=$n
done
# The by-mac request and the installer's whoami are logged as the node the MAC belongs to.
for path in "$bymac" /confluent-api/self/whoami; do
  awk -v p="$path\"" '$4 == p { print $2; exit }' "$svclog" | grep -qx "$node" || fail "$path is not logged as $node"
done
# The kernel and the initrds went out whole; every public file asked for was there.
for f in "${fetches[@]}"; do
  size=$(stat -L -c %s "$pdir/$f")
  sent=$(awk -v p="$public/$f\"" '$4 == p && $5 == 200 { print $6; exit }' "$svclog")
  [ "${sent:-0}" -ge "$size" ] || fail "$f: $sent bytes logged, the file has $size"
done
bad=$(awk '$4 ~ /^\/confluent-public\// && $5 != 200' "$svclog")
[ -z "$bad" ] || fail "public requests that failed: $bad"

# The serial console: iPXE got the by-mac URL from DHCP and fetched each file; the kernel ran
# with the profile's arguments; the installer configured its network before the preseed.
console | grep -aqxF "Filename: http://$deployserver$bymac" || fail "iPXE did not get the by-mac URL as boot file"
console | grep -aqxF "http://$deployserver$bymac... ok" || fail "iPXE did not report the boot script fetched"
for f in "${fetches[@]}"; do
  console | awk -v p="$f... " 'index($0, p) == 1 && / ok$/ { found = 1 } END { exit !found }' ||
    fail "iPXE did not report $f fetched"
done
cmdline=$(console | sed -n 's/^\[ *[0-9.]*\] Command line: //p' | head -n 1)
for arg in "url=http://$deployserver$public/preseed.cfg" "confluent=$deployserver" "osprofile=$profile"; do
  [[ " $cmdline " == *" $arg "* ]] || fail "kernel command line lacks $arg: $cmdline"
done
console | grep -aq "Network autoconfiguration has succeeded" || fail "the installer did not report its network configured"

# What iPXE cannot show: the 302's target, as a client sees it.
run curl -sS -o /dev/null -w '%{http_code} %{redirect_url}' "http://127.0.0.1:$port$bymac"
expect_out "302 http://127.0.0.1:$port$public/boot.ipxe"

echo "deploy_qemu_netboot: setup ${vm_start}s; after the VM's start: iPXE asked at ${ipxe_at}s," \
  "the installer fetched the preseed at ${preseed_at}s, pre.sh was done at ${pre_at}s; total ${SECONDS}s"

# The registration used up the arming and left a key hash for the node.
run nodeattrib "$node" deployment.apiarmed crypted.selfapikey
expect_out "$node: crypted.selfapikey: ********
$node: deployment.apiarmed:"
