# The Redfish BMC emulator (tests/integration/redfish) keeps the contract its README states,
# checked with curl against one BMC per personality: service root, sessions, power, boot
# PATCH with ETags, each personality's virtual media quirks, the XCC upload and every fault.
fleet="$SOURCE_DIR/tests/integration/redfish/fleet.sh"
dir=$CONFLUENT_ROOT/redfish
www=$dir/www
py=/usr/bin/python3
mkdir -p "$www"
head -c 300000 /dev/urandom > "$www/boot.iso"
iso_sha=$(sha256sum < "$www/boot.iso" | cut -d' ' -f1)
declare -A port
# Ports below the ephemeral range; another attempt on other ports if one is taken.
for attempt in 1 2 3 4 5; do
  base=$(( 20000 + RANDOM % 12000 ))
  port=([g]=$base [d]=$((base + 1)) [h]=$((base + 2)) [x]=$((base + 3)) [s]=$((base + 4)))
  web="http://127.0.0.1:$((base + 10))" webs="https://127.0.0.1:$((base + 11))"
  bash "$fleet" start "$dir" "g:${port[g]}:generic" "d:${port[d]}:idrac" "h:${port[h]}:ilo" \
    "x:${port[x]}:xcc" "s:${port[s]}:supermicro" \
    --serve-static "$www:$((base + 10))" --serve-static "$www:$((base + 11)):tls" 2> /dev/null && break
  { grep -q "Address already in use" "$dir/emulator.out" && [ $attempt -lt 5 ]; } ||
    fail "the emulator did not start: $(cat "$dir/emulator.out")"
done
trap 'bash "$fleet" stop "$dir" >/dev/null 2>&1; rm -rf "$CONFLUENT_ROOT"' EXIT

# req METHOD BMC PATH [JSON] [CURL-ARGS...]: sets $code, $body and $hdrs (header lines).
# Basic auth unless CURL-ARGS bring their own (-H "X-Auth-Token: ..." with noauth=1).
noauth=0
req() {
  local method=$1 bmc=$2 path=$3 data=()
  shift 3
  if [ $# -gt 0 ] && [ "${1:0:1}" != - ]; then
    data=(-H 'Content-Type: application/json' --data-binary "$1")
    shift
  fi
  local auth=(-u admin:secret)
  [ "$noauth" = 1 ] && auth=()
  last_cmd="$method $bmc $path ${data[*]:2} $*"
  rm -f "$dir/h" "$dir/b"
  code=$(curl -sk --max-time 10 -X "$method" -D "$dir/h" -o "$dir/b" -w '%{http_code}' \
    "${auth[@]}" "${data[@]}" "$@" "https://127.0.0.1:${port[$bmc]}$path")
  body=$(cat "$dir/b" 2> /dev/null) hdrs=$(tr -d '\r' < "$dir/h" 2> /dev/null)
  out="$code $body" err=$hdrs rc=0
}
# jv EXPR: a Python expression over the JSON body d (strings print bare, the rest as JSON).
jv_py='import json,sys
try:
    d = json.loads(sys.stdin.read())
    v = eval(sys.argv[1])
    print(v if isinstance(v, str) else json.dumps(v))
except Exception as e:
    print("<" + type(e).__name__ + ">")'
jv() {
  "$py" -c "$jv_py" "$1" <<< "$body"
}
header() { sed -n "s/^$1: //Ip" <<< "$hdrs" | head -1; }
is() { [ "$2" = "$3" ] || fail "$1: expected '$3', got '$2'"; }
has() { grep -qF -- "$3" <<< "$2" || fail "$1: '$3' not found"; }
state() {  # state BMC EXPR: EXPR over the control API's state d
  "$py" -c "$jv_py" "$2" < <(bash "$fleet" ctl "$dir" "$1" state)
}
ctl() { bash "$fleet" ctl "$dir" "$@" > /dev/null || fail "control API call $* failed"; }
msgid() { jv 'd["error"]["@Message.ExtendedInfo"][0]["MessageId"]'; }
login() {  # login BMC: sets $token and $session
  req POST "$1" /redfish/v1/SessionService/Sessions '{"UserName":"admin","Password":"secret"}'
  is "login on $1" "$code" 201
  token=$(header X-Auth-Token) session=$(header Location)
  { [ -n "$token" ] && [ -n "$session" ]; } || fail "login on $1: no token or Location"
}
declare -A sysp=([g]=/redfish/v1/Systems/1 [d]=/redfish/v1/Systems/System.Embedded.1 [h]=/redfish/v1/Systems/1
  [x]=/redfish/v1/Systems/1 [s]=/redfish/v1/Systems/1)
declare -A mgrp=([g]=/redfish/v1/Managers/BMC [d]=/redfish/v1/Managers/iDRAC.Embedded.1
  [h]=/redfish/v1/Managers/1 [x]=/redfish/v1/Managers/1 [s]=/redfish/v1/Managers/1)
declare -A vmp=([g]=/redfish/v1/Systems/1/VirtualMedia
  [d]=/redfish/v1/Systems/System.Embedded.1/VirtualMedia [h]=/redfish/v1/Managers/1/VirtualMedia
  [x]=/redfish/v1/Managers/1/VirtualMedia [s]=/redfish/v1/Managers/1/VirtualMedia)
declare -A vendor=([g]=Contoso [d]=Dell [h]=HPE [x]=Lenovo [s]=Supermicro)

# --- service root, collections, auth -------------------------------------------------------
noauth=1
req GET g /redfish
is "GET /redfish" "$(jv 'd["v1"]')" /redfish/v1/
for b in g d h x s; do
  for root in /redfish/v1/ /redfish/v1; do
    req GET $b $root
    is "$b service root $root" "$code" 200
  done
  is "$b vendor" "$(jv 'd["Vendor"]')" "${vendor[$b]}"
  is "$b root links" "$(jv '[d[k]["@odata.id"] for k in ("Systems","Managers","Chassis","SessionService")] + [d["Links"]["Sessions"]["@odata.id"], str(bool(d["UUID"] and d["Product"] and d["RedfishVersion"]))]')" \
    '["/redfish/v1/Systems", "/redfish/v1/Managers", "/redfish/v1/Chassis", "/redfish/v1/SessionService", "/redfish/v1/SessionService/Sessions", "True"]'
done
req GET d /redfish/v1/
is "idrac product" "$(jv 'd["Product"]')" "Integrated Dell Remote Access Controller"
req GET g /redfish/v1/Systems
is "no credentials" "$code" 401
is "no credentials challenge" "$(header WWW-Authenticate)" 'Basic realm="bmc"'
req GET g /redfish/v1/Systems -u admin:wrong
is "wrong password" "$code" 401
is "no challenge once credentials were sent" "$(header WWW-Authenticate)" ""
noauth=0
for b in g d h x s; do
  req GET $b /redfish/v1/Systems
  is "$b systems" "$(jv '[d["Members@odata.count"], d["Members"][0]["@odata.id"]]')" "[1, \"${sysp[$b]}\"]"
  req GET $b /redfish/v1/Managers
  is "$b managers" "$(jv 'd["Members"][0]["@odata.id"]')" "${mgrp[$b]}"
  req GET $b "${mgrp[$b]}"
  is "$b manager type" "$(jv 'd["ManagerType"]')" BMC
  req GET $b /redfish/v1/Chassis
  is "$b chassis" "$(jv 'd["Members@odata.count"]')" 1
  req GET $b "${sysp[$b]}"
  is "$b reset values" "$(jv 'd["Actions"]["#ComputerSystem.Reset"]["ResetType@Redfish.AllowableValues"]')" \
    '["On", "ForceOff", "GracefulShutdown", "ForceRestart", "GracefulRestart", "PowerCycle", "Nmi", "PushPowerButton"]'
  is "$b managed by" "$(jv 'd["Links"]["ManagedBy"][0]["@odata.id"]')" "${mgrp[$b]}"
  req GET $b "${vmp[$b]}"
  is "$b virtual media collection" "$code" 200
done
req GET d /redfish/v1/Managers/iDRAC.Embedded.1
is "idrac model" "$(jv '[d["Model"], d["FirmwareVersion"]]')" '["iDRAC 9", "6.10.30.00"]'
req GET g /redfish/v1/Nothing
is "unknown resource" "$code" 404

# --- sessions --------------------------------------------------------------------------------
req POST g /redfish/v1/SessionService/Sessions '{"UserName":"admin","Password":"nope"}'
is "login with a wrong password" "$code" 401
login g
req GET g /redfish/v1/SessionService
is "session timeout" "$(jv 'd["SessionTimeout"]')" 600
noauth=1
req GET g /redfish/v1/Systems/1 -H "X-Auth-Token: $token"
is "token auth" "$code" 200
req DELETE g "$session" -H "X-Auth-Token: $token"
is "logout" "$code" 204
req GET g /redfish/v1/Systems/1 -H "X-Auth-Token: $token"
is "token after logout" "$code" 401
noauth=0
sessions=()
for _ in 1 2 3 4; do login g; sessions+=("$session"); done
req POST g /redfish/v1/SessionService/Sessions '{"UserName":"admin","Password":"secret"}'
is "fifth session" "$code" 503
is "fifth session message" "$(msgid)" Base.1.8.SessionLimitExceeded
req GET g /redfish/v1/Systems/1
is "basic auth with every slot taken" "$code" 200
req DELETE g "${sessions[0]}"
is "deleting another session with basic auth" "$code" 204
login g
is "sessions open" "$(state g 'd["sessions_open"]')" 4
for _ in 1 2 3 4; do login d; done
req POST d /redfish/v1/SessionService/Sessions '{"UserName":"admin","Password":"secret"}'
is "idrac fifth session" "$code:$(msgid)" 400:IDRAC.2.8.RAC0218
ctl g reset '{}'
ctl d reset '{}'
is "reset clears sessions" "$(state g '[d["sessions_open"], d["counters"]["logins"]]')" "[0, 0]"

# Media inserted with a token goes away with its session (logout, then expiry).
login g
noauth=1
req POST g /redfish/v1/Systems/1/VirtualMedia/CD1/Actions/VirtualMedia.InsertMedia \
  "{\"Image\":\"$web/boot.iso\"}" -H "X-Auth-Token: $token"
is "insert with a token" "$code" 204
is "inserted by" "$(state g 'd["media"][0]["inserted_by"]')" token
req DELETE g "$session" -H "X-Auth-Token: $token"
noauth=0
is "logout ejects the session's media" "$(state g 'd["media"][0]["image"]')" null
req PATCH g /redfish/v1/SessionService '{"SessionTimeout": 1}'
is "shorter session timeout" "$code" 204
login g
noauth=1
req POST g /redfish/v1/Systems/1/VirtualMedia/CD1/Actions/VirtualMedia.InsertMedia \
  "{\"Image\":\"$web/boot.iso\"}" -H "X-Auth-Token: $token"
noauth=0
is "inserted by a short session" "$(state g 'd["media"][0]["inserted_by"]')" token
sleep 2.2
is "expiry ejects the session's media" "$(state g '[d["sessions_open"], d["media"][0]["image"]]')" '[0, null]'
noauth=1
req GET g /redfish/v1/Systems/1 -H "X-Auth-Token: $token"
is "expired token" "$code" 401
noauth=0
ctl g reset '{}'

# --- power -------------------------------------------------------------------------------------
reset_to() {  # reset_to BMC TYPE: POST the reset action
  req POST "$1" "${sysp[$1]}/Actions/ComputerSystem.Reset" "{\"ResetType\":\"$2\"}"
}
reset_to g On
is "power on" "$code" 204
is "power on state" "$(state g 'd["power"]')" On
req GET g /redfish/v1/Systems/1
is "PowerState" "$(jv 'd["PowerState"]')" On
reset_to g ForceOff
is "force off" "$(state g 'd["power"]')" Off
reset_to g PushPowerButton
is "button from off" "$(state g 'd["power"]')" On
reset_to g ForceRestart
reset_to g PowerCycle
is "restarts counted" "$(state g '[d["power"], d["resets"]]')" '["On", 2]'
reset_to g PushPowerButton
is "button from on" "$(state g 'd["power"]')" Off
reset_to g Sideways
is "bad reset type" "$code:$(msgid)" 400:Base.1.8.ActionParameterValueNotInList
req POST g /redfish/v1/Systems/1/Actions/ComputerSystem.Reset '{}'
is "missing reset type" "$code:$(msgid)" 400:Base.1.8.ActionParameterMissing
ctl g power '{"state":"On"}'
is "control power" "$(state g 'd["power"]')" On
reset_to h On
is "ilo reset answer" "$code:$(jv 'd["error"]["@Message.ExtendedInfo"][0]["MessageId"]')" 200:Base.1.8.Success

# The static web server that image URLs point to serves byte ranges.
is "static range" "$(curl -s --max-time 5 -r 100-199 -o "$dir/part" -w '%{http_code}' "$web/boot.iso"):$(wc -c < "$dir/part")" 206:100
cmp -s "$dir/part" <(tail -c +101 "$www/boot.iso" | head -c 100) || fail "static range: wrong bytes"
is "static https" "$(curl -sk --max-time 5 "$webs/boot.iso" | sha256sum | cut -d' ' -f1)" "$iso_sha"

# --- boot override and ETags ------------------------------------------------------------------
req GET g /redfish/v1/Systems/1
tag=$(header ETag)
[[ $tag =~ ^\"[0-9a-f]+\"$ ]] || fail "generic ETag is not strong: '$tag'"
is "@odata.etag" "$(jv 'd["@odata.etag"]')" "$tag"
is "generic boot targets" "$(jv 'd["Boot"]["BootSourceOverrideTarget@Redfish.AllowableValues"]')" \
  '["None", "Pxe", "Cd", "Usb", "Hdd", "BiosSetup", "UefiHttp"]'
req PATCH g /redfish/v1/Systems/1 '{"Boot":{"BootSourceOverrideTarget":"Pxe"}}' -H 'If-Match: "0000"'
is "stale If-Match" "$code:$(msgid)" 412:Base.1.8.PreconditionFailed
req PATCH g /redfish/v1/Systems/1 '{"Boot":{"BootSourceOverrideTarget":"Pxe","BootSourceOverrideEnabled":"Continuous"}}' -H "If-Match: $tag"
is "PATCH with the ETag" "$code" 204
is "boot stored" "$(state g '[d["boot"]["target"], d["boot"]["enabled"]]')" '["Pxe", "Continuous"]'
req GET g /redfish/v1/Systems/1
[ "$(header ETag)" != "$tag" ] || fail "the ETag did not change with the resource"
req PATCH g /redfish/v1/Systems/1 '{"Boot":{"BootSourceOverrideTarget":"Cd"}}' -H "If-Match: $tag"
is "the old ETag" "$code" 412
req PATCH g /redfish/v1/Systems/1 '{"Boot":{"BootSourceOverrideTarget":"Cd","BootSourceOverrideEnabled":"Once","BootSourceOverrideMode":"Legacy"}}' -H 'If-Match: *'
is "If-Match *" "$code" 204
req PATCH g /redfish/v1/Systems/1 '{"Boot":{"BootSourceOverrideTarget":"Floppy"}}'
is "target not allowed" "$code:$(msgid):$(jv 'd["error"]["@Message.ExtendedInfo"][0]["MessageArgs"][1]')" \
  400:Base.1.8.PropertyValueNotInList:BootSourceOverrideTarget
req PATCH g /redfish/v1/Systems/1 '{"Boot":{"BootSourceOverrideEnabled":"Sometimes"}}'
is "enabled not allowed" "$code" 400
req PATCH g /redfish/v1/Systems/1 '{"Boot":{"BootSourceOverrideMode":"BIOS"}}'
is "mode not allowed" "$code" 400
reset_to g GracefulRestart
is "Once is consumed by a reset" "$(state g '[d["boot"]["enabled"], d["boot"]["target"], d["boot"]["mode"]]')" '["Disabled", "Cd", "Legacy"]'
req PATCH g /redfish/v1/Systems/1 "{\"Boot\":{\"BootSourceOverrideTarget\":\"UefiHttp\",\"BootSourceOverrideEnabled\":\"Once\",\"HttpBootUri\":\"$web/boot.iso\"}}"
is "UefiHttp with a URI" "$code" 204
is "HttpBootUri stored" "$(state g 'd["boot"]["uri"]')" "$web/boot.iso"
req PATCH g /redfish/v1/Systems/1 '{"Boot":{"BootSourceOverrideTarget":"Pxe","HttpBootUri":"http://x/y"}}'
is "HttpBootUri without UefiHttp" "$code" 400
# iLO: weak ETags, If-Match required, no Boot changes while in POST.
req GET h /redfish/v1/Systems/1
wtag=$(header ETag)
[[ $wtag =~ ^W/\"[0-9a-f]+\"$ ]] || fail "iLO ETag is not weak: '$wtag'"
is "iLO @odata.etag" "$(jv 'd["@odata.etag"]')" "$wtag"
req PATCH h /redfish/v1/Systems/1 '{"Boot":{"BootSourceOverrideTarget":"Cd"}}'
is "iLO without If-Match" "$code:$(msgid)" 428:Base.1.8.PreconditionRequired
req PATCH h /redfish/v1/Systems/1 '{"Boot":{"BootSourceOverrideTarget":"Cd"}}' -H "If-Match: $wtag"
is "iLO with the weak ETag" "$code" 412
reset_to h ForceRestart
post_start=$(date +%s%N)
req PATCH h /redfish/v1/Systems/1 '{"Boot":{"BootSourceOverrideTarget":"Cd"}}' -H "If-Match: ${wtag#W/}"
is "iLO in POST" "$code:$(msgid)" 400:iLO.2.15.UnableToModifyDuringSystemPOST
for _ in $(seq 1 30); do  # the POST window is 2 s
  req PATCH h /redfish/v1/Systems/1 '{"Boot":{"BootSourceOverrideTarget":"Cd","BootSourceOverrideEnabled":"Once"}}' -H "If-Match: ${wtag#W/}"
  [ "$code" = 400 ] || break
  sleep 0.2
done
[ $((($(date +%s%N) - post_start) / 1000000)) -ge 1500 ] || fail "the iLO POST window ended early"
is "iLO with the strong ETag after POST" "$code" 200
is "iLO boot stored" "$(state h 'd["boot"]["target"]')" Cd
# Supermicro: UsbCd instead of Cd, Enabled in every PATCH.
req PATCH s /redfish/v1/Systems/1 '{"Boot":{"BootSourceOverrideTarget":"UsbCd"}}'
is "supermicro without Enabled" "$code:$(msgid):$(jv 'd["error"]["@Message.ExtendedInfo"][0]["MessageArgs"][0]')" \
  400:Base.1.8.PropertyMissing:BootSourceOverrideEnabled
req PATCH s /redfish/v1/Systems/1 '{"Boot":{"BootSourceOverrideTarget":"Cd","BootSourceOverrideEnabled":"Once"}}'
is "supermicro Cd" "$code" 400
req PATCH s /redfish/v1/Systems/1 '{"Boot":{"BootSourceOverrideTarget":"UsbCd","BootSourceOverrideEnabled":"Once"}}'
is "supermicro UsbCd" "$code" 204

# --- virtual media -----------------------------------------------------------------------------
insert() {  # insert BMC SLOT JSON
  req POST "$1" "${vmp[$1]}/$2/Actions/VirtualMedia.InsertMedia" "$3"
}
eject() {  # eject BMC SLOT [JSON]
  req POST "$1" "${vmp[$1]}/$2/Actions/VirtualMedia.EjectMedia" "${@:3}"
}
media() {  # media BMC SLOT EXPR: EXPR over that slot's state m
  state "$1" "[m for m in d['media'] if m['id'] == '$2'][0]$3"
}
# generic
req GET g /redfish/v1/Systems/1/VirtualMedia
is "generic slots" "$(jv '[m["@odata.id"].rsplit("/",1)[1] for m in d["Members"]]')" '["CD1", "USB1"]'
req GET g /redfish/v1/Systems/1/VirtualMedia/CD1
is "generic CD1" "$(jv '[d["MediaTypes"], d["Image"], d["Inserted"], d["ConnectedVia"], d["Actions"]["#VirtualMedia.InsertMedia"]["target"]]')" \
  '[["CD", "DVD"], null, false, "NotConnected", "/redfish/v1/Systems/1/VirtualMedia/CD1/Actions/VirtualMedia.InsertMedia"]'
is "generic Allow" "$(header Allow)" "GET, PATCH"
[ -n "$(header ETag)" ] || fail "virtual media without an ETag"
insert g CD1 "{\"Image\":\"$web/boot.iso\",\"Inserted\":true,\"WriteProtected\":true}"
is "generic insert" "$code" 204
is "fetched like a BMC" "$(media g CD1 '["fetched_bytes"]'):$(media g CD1 '["fetched_sha256"]')" "300000:$iso_sha"
req GET g /redfish/v1/Systems/1/VirtualMedia/CD1
is "generic CD1 inserted" "$(jv '[d["Image"], d["ImageName"], d["Inserted"], d["ConnectedVia"]]')" \
  "[\"$web/boot.iso\", \"boot.iso\", true, \"URI\"]"
insert g CD1 "{\"Image\":\"$web/boot.iso\"}"
is "insert into a full slot" "$code" 400
insert g USB1 "{\"Image\":\"$web/boot.iso\",\"Color\":\"red\"}"
is "unknown insert parameter" "$code:$(msgid)" 400:Base.1.8.ActionParameterUnknown
has "unknown parameter named" "$body" Color
insert g USB1 "{\"Image\":\"$web/missing.iso\"}"
is "unreachable image" "$code:$(jv 'd["error"]["message"]')" "400:Unable to mount remote share $web/missing.iso"
insert g USB1 "{\"Image\":\"$webs/boot.iso\"}"
is "https image, certificate not verified" "$code:$(media g USB1 '["fetched_sha256"]')" "204:$iso_sha"
eject g CD1
is "generic eject" "$code:$(media g CD1 '["image"]')" 204:null
req PATCH g /redfish/v1/Systems/1/VirtualMedia/USB1 '{"Image": null, "Inserted": false}'
is "PATCH eject" "$code:$(media g USB1 '["inserted"]')" 204:false
req PATCH g /redfish/v1/Systems/1/VirtualMedia/USB1 '{"Image": "file:///srv/local.img", "Inserted": true}'
is "file:// needs no fetch" "$code:$(media g USB1 '["image"]'):$(media g USB1 '["inserted_by"]')" 204:file:///srv/local.img:basic
# idrac
req GET d /redfish/v1/Systems/System.Embedded.1/VirtualMedia
is "idrac slots" "$(jv '[m["@odata.id"].rsplit("/",1)[1] for m in d["Members"]]')" '["1", "2"]'
insert d 1 "{\"Image\":\"$web/boot.iso\"}"
is "idrac insert" "$code" 204
eject d 1
is "idrac eject without a body" "$code:$(jv 'd["error"]["message"]')" "400:request body is required"
eject d 1 '{}'
is "idrac eject with {}" "$code:$(media d 1 '["image"]')" 204:null
# ilo
req GET h /redfish/v1/Managers/1/VirtualMedia/2
is "ilo slot 2" "$(jv '[d["MediaTypes"], d["Oem"]["Hpe"]["BootOnNextServerReset"]]')" '[["CD", "DVD"], false]'
req GET h /redfish/v1/Managers/1/VirtualMedia/1
is "ilo slot 1" "$(jv 'd["MediaTypes"]')" '["Floppy", "USBStick"]'
eject h 2 '{}'
is "ilo eject of an empty slot" "$code:$(msgid)" 400:iLO.2.15.UnableToEjectMedia
insert h 2 "{\"Image\":\"$web/boot.iso\"}"
is "ilo insert" "$code" 200
eject h 2
is "ilo eject without a body" "$code" 415
eject h 2 '{}'
is "ilo eject" "$code:$(media h 2 '["image"]')" 200:null
# xcc
req GET x /redfish/v1/Managers/1/VirtualMedia
is "xcc slots" "$(jv '[m["@odata.id"].rsplit("/",1)[1] for m in d["Members"]]')" \
  '["EXT1", "EXT2", "EXT3", "EXT4", "RDOC1", "RDOC2"]'
req GET x /redfish/v1/Managers/1/VirtualMedia/EXT1
is "xcc EXT1" "$(jv '["Actions" in d, d["ConnectedVia"]]'):$(header Allow)" '[false, "NotConnected"]:GET, PATCH'
insert x EXT1 "{\"Image\":\"$web/boot.iso\"}"
is "xcc has no InsertMedia" "$code" 404
req PATCH x /redfish/v1/Managers/1/VirtualMedia/EXT1 "{\"Image\":\"$web/boot.iso\"}"
is "xcc PATCH without Inserted" "$code:$(msgid):$(jv 'd["error"]["@Message.ExtendedInfo"][0]["MessageArgs"][0]')" \
  400:Base.1.8.PropertyMissing:Inserted
req PATCH x /redfish/v1/Managers/1/VirtualMedia/EXT1 "{\"Image\":\"$web/boot.iso\",\"Inserted\":true}"
is "xcc PATCH mount" "$code:$(media x EXT1 '["fetched_sha256"]')" "204:$iso_sha"
req GET x /redfish/v1/Managers/1/VirtualMedia/EXT1
is "xcc EXT1 used" "$(jv 'd["ConnectedVia"]')" URI
head -c 1000 /dev/urandom > "$dir/a.img"
head -c 2000 /dev/urandom > "$dir/b.img"
cp "$dir/a.img" "$dir/c.img"
truncate -s 51M "$dir/big.img"
upload() { req POST x /rdoc_upload -F "file=@$1"; }
upload "$dir/big.img"
is "upload over 50 MiB" "$code:$(jv 'd["message"]')" "413:File size exceeds limit"
upload "$dir/a.img"
is "upload" "$code:$(jv '[d["return"], d["name"]]')" '200:[0, "a.img"]'
upload "$dir/a.img"
is "upload of the same name" "$code:$(jv 'd["message"]')" "400:An image with that name already exists"
upload "$dir/b.img"
is "second upload" "$code" 200
upload "$dir/c.img"
is "third upload" "$code:$(jv 'd["message"]')" "400:Maximum number of uploaded media reached"
noauth=1
upload "$dir/c.img"
is "upload without credentials" "$code" 401
noauth=0
is "uploads recorded" "$(state x '[u["bytes"] for u in d["uploads"]]'):$(state x 'd["uploads"][0]["sha256"]')" \
  "[1000, 2000]:$(sha256sum < "$dir/a.img" | cut -d' ' -f1)"
req PATCH x /redfish/v1/Managers/1/VirtualMedia/RDOC1 '{"Image":"file:///gpx/rdocupload/a.img","WriteProtected":false}'
is "RDOC mount" "$code:$(media x RDOC1 '["inserted"]'):$(media x RDOC1 '["fetched_bytes"]')" 204:true:1000
req PATCH x /redfish/v1/Managers/1/VirtualMedia/EXT2 '{"Image":"file:///srv/2.iso","Inserted":true}'
req PATCH x /redfish/v1/Managers/1/VirtualMedia/EXT3 '{"Image":"file:///srv/3.iso","Inserted":true}'
is "four mounts" "$code" 204
req PATCH x /redfish/v1/Managers/1/VirtualMedia/EXT4 '{"Image":"file:///srv/4.iso","Inserted":true}'
is "a fifth mount" "$code" 400
req PATCH x /redfish/v1/Managers/1/VirtualMedia/RDOC1 '{"Image":null,"Inserted":false}'
is "RDOC unmount deletes the upload" "$code:$(state x '[u["name"] for u in d["uploads"]]')" '204:["b.img"]'
req PATCH x /redfish/v1/Managers/1/VirtualMedia/EXT1 '{"Image":null,"Inserted":false}'
is "xcc PATCH unmount" "$code:$(media x EXT1 '["image"]')" 204:null
ctl x faults '{"nolicense": true}'
req GET x /redfish/v1/Managers/1/VirtualMedia
is "xcc without licence" "$(jv '[m["@odata.id"].rsplit("/",1)[1] for m in d["Members"]]')" '["RDOC1", "RDOC2"]'
req GET x /redfish/v1/Managers/1/VirtualMedia/EXT1
is "no EXT1 without licence" "$code" 404
ctl x faults '{}'
# supermicro
req GET s /redfish/v1/Managers/1/VirtualMedia/USB1
is "supermicro USB1 has no actions" "$(jv '"Actions" in d'):$(header Allow)" "false:GET"
insert s CD1 "{\"Image\":\"$web/boot.iso\",\"Inserted\":true,\"WriteProtected\":true,\"TransferProtocolType\":\"HTTP\"}"
is "supermicro Inserted/WriteProtected" "$code:$(msgid)" 400:Base.1.8.ActionParameterUnknown
is "both named" "$(jv '[i["MessageArgs"][1] for i in d["error"]["@Message.ExtendedInfo"]]')" '["Inserted", "WriteProtected"]'
insert s CD1 "{\"Image\":\"$web/boot.iso\"}"
is "supermicro without TransferProtocolType" "$code:$(msgid):$(jv 'd["error"]["@Message.ExtendedInfo"][0]["MessageArgs"]')" \
  '400:Base.1.8.ActionParameterMissing:["InsertMedia", "TransferProtocolType"]'
insert s CD1 "{\"Image\":\"$web/boot.iso\",\"TransferProtocolType\":\"HTTP\"}"
is "supermicro insert" "$code:$(media s CD1 '["fetched_bytes"]')" 204:300000
insert s USB1 "{\"Image\":\"$web/boot.iso\",\"TransferProtocolType\":\"HTTP\"}"
is "supermicro USB1 insert" "$code" 404
req PATCH s /redfish/v1/Managers/1/VirtualMedia/USB1 "{\"Image\":\"$web/boot.iso\"}"
is "supermicro USB1 PATCH" "$code" 405

# --- faults ------------------------------------------------------------------------------------
ctl g faults '{"slow": 0.6}'
t0=$(date +%s%N)
req GET g /redfish/v1/
t1=$(date +%s%N)
bash "$fleet" ctl "$dir" g state > /dev/null
t2=$(date +%s%N)
[ $(((t1 - t0) / 1000000)) -ge 600 ] || fail "slow: answered in $(((t1 - t0) / 1000000)) ms"
[ $(((t2 - t1) / 1000000)) -lt 500 ] || fail "slow: the control API was slowed too"
ctl g faults '{"error500": 2}'
req GET g /redfish/v1/
is "error500 first" "$code:$(msgid)" 500:Base.1.8.InternalError
req GET g /redfish/v1/Systems/1
is "error500 second" "$code" 500
req GET g /redfish/v1/
is "error500 spent" "$code" 200
ctl g faults '{"error500": "always"}'
for _ in 1 2 3; do req GET g /redfish/v1/; is "error500 always" "$code" 500; done
ctl g faults '{"badjson": true}'
req GET g /redfish/v1/
is "badjson status" "$code" 200
"$py" -c 'import json,sys; json.loads(sys.stdin.read())' <<< "$body" 2> /dev/null &&
  fail "badjson: the body parses"
ctl g faults '{"noslots": true}'
req POST g /redfish/v1/SessionService/Sessions '{"UserName":"admin","Password":"secret"}'
is "noslots" "$code" 503
req GET g /redfish/v1/Systems/1
is "noslots basic auth" "$code" 200
served_cert() {
  openssl s_client -connect "127.0.0.1:${port[$1]}" < /dev/null 2> /dev/null |
    openssl x509 -outform DER 2> /dev/null | sha256sum | cut -d' ' -f1
}
ctl g faults '{}'
before=$(state g 'd["cert_sha256"]')
is "served certificate" "$(served_cert g)" "$before"
ctl g faults '{"certchange": true}'
after=$(state g 'd["cert_sha256"]')
[ "$after" != "$before" ] || fail "certchange: the state shows the same certificate"
is "certchange served" "$(served_cert g)" "$after"
ctl g faults '{"tasks": true}'
ctl g power '{"state":"Off"}'
reset_to g On
monitor=$(header Location)
is "task accepted" "$code:$(header Retry-After):${monitor%/*}" 202:1:/redfish/v1/TaskService/TaskMonitors
req GET g "$monitor"
is "task running" "$code:$(jv 'd["TaskState"]'):$(state g 'd["power"]')" 202:Running:Off
for _ in $(seq 1 40); do
  req GET g "$monitor"
  [ "$code" = 202 ] || break
  sleep 0.1
done
is "task done" "$code:$(jv '[d["TaskState"], d["TaskStatus"]]'):$(state g 'd["power"]')" '200:["Completed", "OK"]:On'
ctl d faults '{"sys518": 1}'
req PATCH d /redfish/v1/Systems/System.Embedded.1 '{"Boot":{"BootSourceOverrideTarget":"Pxe"}}'
is "SYS518" "$code:$(msgid)" 500:IDRAC.2.8.SYS518
req PATCH d /redfish/v1/Systems/System.Embedded.1 '{"Boot":{"BootSourceOverrideTarget":"Pxe"}}'
is "SYS518 spent" "$code" 204
# hang: the request is read and never answered; other BMCs and new connections still work,
# and so does this BMC while a client sits on a TCP connection without a TLS handshake.
ctl g faults '{"hang": true}'
curl -sk --max-time 1 -u admin:secret "https://127.0.0.1:${port[g]}/redfish/v1/" > /dev/null
hang_rc=$?
is "hang times out" "$hang_rc" 28
req GET d /redfish/v1/
is "another BMC during a hang" "$code" 200
is "control API during a hang" "$(state g 'd["faults"]')" '{"hang": true}'
ctl g faults '{}'
exec 7<> "/dev/tcp/127.0.0.1/${port[g]}"
t0=$(date +%s%N)
req GET g /redfish/v1/
is "answer beside a stuck handshake" "$code" 200
[ $((($(date +%s%N) - t0) / 1000000)) -lt 2000 ] || fail "a stuck handshake delayed other clients"
exec 7>&-

# --- log and counters ---------------------------------------------------------------------------
grep -q " GET /redfish/v1/Systems/1 200 basic$" "$dir/g.log" || fail "g.log lacks a basic GET line"
grep -q " GET /redfish/v1/Systems/1 401 none$" "$dir/g.log" || fail "g.log lacks a 401 line"
[ "$(state g 'd["counters"]["by_path"]["/redfish/v1/Systems/1"] > 0 and d["counters"]["basic"] > 0')" = true ] ||
  fail "the counters are not kept"
