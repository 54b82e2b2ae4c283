# Every BMC verb against every personality under every fault: each command either works
# (faults a client must absorb) or fails that node with one clear line, in bounded time,
# and never leaves a session open.
source "$SOURCE_DIR/tests/integration/redfish/common.sh"
mkdir -p "$CONFLUENT_ROOT/static" "$CONFLUENT_ROOT/var/lib/confluent/public" "$CONFLUENT_ROOT/etc/confluent"
head -c 50000 /dev/urandom > "$CONFLUENT_ROOT/static/x.iso"
cp "$CONFLUENT_ROOT/static/x.iso" "$CONFLUENT_ROOT/id.img"
start_fleet --serve-static "$CONFLUENT_ROOT/static:$static_port" \
  --serve-static "$CONFLUENT_ROOT/var/lib/confluent/public:$((static_port + 1)):tls"
echo "public_url: https://127.0.0.1:$((static_port + 1))" > "$CONFLUENT_ROOT/etc/confluent/service.yaml"
url="http://127.0.0.1:$static_port/x.iso"
verbs=("nodepower" "nodepower on" "nodepower -p boot" "nodesetboot" "nodesetboot network"
       "nodeboot cd" "nodemedia list" "nodemedia attach $url" "nodemedia detachall"
       "nodemedia upload $CONFLUENT_ROOT/id.img" "nodemedia detachall")

# Faults that cost time on every request get one verb of each kind.
few=("nodepower on" "nodesetboot network" "nodemedia attach $url" "nodemedia detachall"
     "nodemedia upload $CONFLUENT_ROOT/id.img")

# check FAULT-JSON OUTCOME [VERB...]: OUTCOME "works" or "fails:<text every node's error holds>".
check() {
  local fault=$1 outcome=$2 verb n words
  shift 2
  local todo=("$@")
  [ ${#todo[@]} -gt 0 ] || todo=("${verbs[@]}")
  for n in ngen ndell nhpe nxcc nsmc; do ctl "$n" reset '{}'; ctl "$n" faults "$fault"; done
  for verb in "${todo[@]}"; do
    read -ra words <<<"$verb"
    local start elapsed
    start=$(date +%s%N)
    run "${words[0]}" -t 2 "$all_nodes" "${words[@]:1}"
    elapsed=$(( ($(date +%s%N) - start) / 1000000 ))
    [ "$elapsed" -lt 30000 ] || fail "$fault: $verb took $elapsed ms"
    if [ "$outcome" = works ]; then
      [ "$rc" = 0 ] || fail "$fault: $verb should work"
    else
      [ "$rc" = 1 ] || fail "$fault: $verb should fail with status 1"
      [ "$(grep -c ': error: ' <<<"$err")" -ge 5 ] || fail "$fault: $verb: one error line per node expected"
      [ "$(grep -c -F -- "${outcome#fails:}" <<<"$err")" -ge 5 ] || fail "$fault: $verb: errors lack '${outcome#fails:}'"
    fi
  done
  ctl_all_clear
  expect_no_sessions ngen ndell nhpe nxcc nsmc
}
ctl_all_clear() { local n; for n in ngen ndell nhpe nxcc nsmc; do ctl "$n" faults '{}'; done; }

check '{}' works
check '{"noslots": true}' works
check '{"tasks": true}' works
check '{"error500": 1}' works
check '{"sys518": 1}' works
check '{"slow": 0.05}' works "${few[@]}"
check '{"error500": "always"}' "fails:answered HTTP 500" "${few[@]}"
check '{"badjson": true}' "fails:BMC sent invalid JSON"
check '{"hang": true}' "fails:timed out after 2 s" "${few[@]}"
check '{"certchange": true}' "fails:certificate changed"
