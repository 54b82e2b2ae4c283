# nodeshell against a real OpenSSH server on loopback: three node names resolve (through
# the client's ssh_config) to 127.0.0.2-4, a fourth to an address where nothing listens.
sshd_bin=/usr/sbin/sshd
[ -x "$sshd_bin" ] || fail "openssh-server is not installed (scripts/install-deps installs it)"
dir=$CONFLUENT_ROOT/ssh
mkdir -p "$dir/bin"
user=$(id -un)
port=$(( 30000 + RANDOM % 20000 ))
ssh-keygen -q -t ed25519 -N '' -f "$dir/hostkey"
ssh-keygen -q -t ed25519 -N '' -f "$dir/id"
cp "$dir/id.pub" "$dir/authorized_keys"
cat > "$dir/sshd_config" <<CFG
Port $port
ListenAddress 127.0.0.2
ListenAddress 127.0.0.3
ListenAddress 127.0.0.4
HostKey $dir/hostkey
PidFile $dir/sshd.pid
AuthorizedKeysFile $dir/authorized_keys
StrictModes no
UsePAM no
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin prohibit-password
LogLevel ERROR
CFG
cat > "$dir/ssh_config" <<CFG
Host n1 n1-ib
  HostName 127.0.0.2
Host n2
  HostName 127.0.0.3
Host n3 alt3
  HostName 127.0.0.4
Host n4
  HostName 127.0.0.5
Host *
  IdentityFile $dir/id
  IdentitiesOnly yes
  UserKnownHostsFile $dir/known_hosts
  StrictHostKeyChecking yes
CFG
for addr in 127.0.0.2 127.0.0.3 127.0.0.4; do echo "[$addr]:$port $(cat "$dir/hostkey.pub")"; done > "$dir/known_hosts"
# ssh reads ~/.ssh/config from the passwd entry, not $HOME; a wrapper points it at ours.
printf '#!/bin/sh\nexec /usr/bin/ssh -F %s "$@"\n' "$dir/ssh_config" > "$dir/bin/ssh"
chmod +x "$dir/bin/ssh"
export PATH="$dir/bin:$PATH"
[ "$(id -u)" -ne 0 ] || mkdir -p /run/sshd
"$sshd_bin" -D -e -f "$dir/sshd_config" 2>"$dir/sshd.log" &
sshd_pid=$!
trap 'kill $sshd_pid 2>/dev/null; rm -rf "$CONFLUENT_ROOT"' EXIT
for _ in $(seq 1 100); do
  ssh -p "$port" -l "$user" n1 true 2>/dev/null && break
  kill -0 $sshd_pid 2>/dev/null || fail "sshd did not start: $(cat "$dir/sshd.log")"
  sleep 0.1
done

must nodedefine 'n[1-4]'
must nodeattrib n3 custom.sshhost=alt3

# Per-node expansion, the remote shell, stdout and stderr, through real connections.
run nodeshell -p "$port" -l "$user" 'n[1-3]' 'echo {node} $((6*7)) ${{SSH_CONNECTION##* }}; echo err-{n1} >&2'
expect_rc 0
out=$(sort <<<"$out") err=$(sort <<<"$err")
expect_out $'n1: n1 42 '"$port"$'\nn2: n2 42 '"$port"$'\nn3: n3 42 '"$port"
# The remote login shell may add lines of its own to stderr (a host's shell start-up files,
# such as a pyenv rehash racing between the three logins): each node's own line must be
# there, with its prefix, whatever else is.
for i in 1 2 3; do expect_err_has "n$i: err-$i"; done
run nodeshell -p "$port" -l "$user" 'n[1-3]' "echo \$SSH_CONNECTION"
expect_out_has "127.0.0.2 $port"
expect_out_has "127.0.0.4 $port"

# Exit status, -x, -n, -s in both forms.
run nodeshell -p "$port" -l "$user" 'n[1-3]' 'exit {n1}'
expect_rc 3
run nodeshell -x -n -p "$port" -l "$user" n1 'echo {node}'
expect_out "{node}"
run nodeshell -s -ib -p "$port" -l "$user" n1 'echo $SSH_CONNECTION'
expect_rc 0
expect_out_has "127.0.0.2 $port"
run nodeshell -s '{custom.sshhost}' -p "$port" -l "$user" n3 'echo $SSH_CONNECTION'
expect_rc 0
expect_out_has "127.0.0.4 $port"

# A node where nothing listens fails alone, quickly, with ssh's status.
start=$SECONDS
run nodeshell -t 3 -p "$port" -l "$user" 'n[1-4]' 'echo up'
[ $((SECONDS - start)) -lt 15 ] || fail "an unreachable node stalled the run"
expect_rc 255
out=$(sort <<<"$out")
expect_out $'n1: up\nn2: up\nn3: up'
expect_err_has "n4: "
