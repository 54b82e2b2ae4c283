# imgutil capture, the node's side (POSIX sh, run as root). The server sends this script over
# ssh to /run/imgutil/capenv/ and runs it with one of these modes:
#   getfingerprint                      what the node is and what it lacks
#   capturelocal COMPRESSION            a squashfs of each local file system, secrets masked
#   capturelocalboot KERNEL INITRAMFS   the kernel and an initramfs with confluent's boot hook
#                                       (INITRAMFS: initramfs-tools or dracut; the server puts a
#                                       function imgutil_payload DIR before this script that
#                                       writes the hook's files into DIR)
#   capturelocalcleanup                 stops what an interrupted capture left running and
#                                       removes /run/imgutil
# Each writes a stream of files on stdout (capturelocalcleanup an empty one): the line
# "IMGUTIL-CAPTURE 1", then per file a line "FILE <size> <name>" and its bytes, then "END".
# Anything a login script prints before the first line is skipped by the server. Messages go
# to stderr; a failure's last line says what failed.
#
# capturelocal and capturelocalboot work in a private mount namespace (unshare -m) on a tmpfs
# mounted there: the node's own mounts and files never change, and what they make (sanitised
# copies of secrets, squashfs images, the initramfs) vanishes with the namespace, however the
# capture ends. Mounts are made with -n, so that not even libmount's /run/mount/utab records
# them.

# shellcheck disable=SC2015 # "a && b || die" dies when either fails, as meant
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
LC_ALL=C
export PATH LC_ALL
umask 077
CAPENV=/run/imgutil/capenv
WORK=/run/imgutil/work
SELF=$0
TAB=$(printf '\t')

die() {
  printf '%s\n' "$*" >&2
  exit 1
}

start_stream() { echo "IMGUTIL-CAPTURE 1"; }
end_stream() { echo "END"; }

# emit NAME FILE: one file of the stream.
emit() {
  size=$(wc -c <"$2") || die "cannot read $2"
  printf 'FILE %s %s\n' $((size)) "$1"
  cat "$2" || die "cannot send $2"
}

have() { command -v "$1" >/dev/null 2>&1; }

package_tool() {
  for tool in apt-get dnf yum zypper; do
    if have "$tool"; then
      echo "${tool%-get}"
      return
    fi
  done
}

# The package that has a program, as package_tool installs it.
package_of() {
  case $1:$2 in
    zypper:mksquashfs) echo squashfs ;;
    *:mksquashfs) echo squashfs-tools ;;
    *:unshare) echo util-linux ;;
    *:mkinitramfs) echo initramfs-tools ;;
    apt:losetup) echo mount ;;
    *:losetup) echo util-linux ;;
    apt:dmsetup) echo dmsetup ;;
    *:dmsetup) echo device-mapper ;;
    *) echo "$2" ;;
  esac
}

# How the node makes its initramfs: initramfs-tools (Debian, Ubuntu) or dracut.
initramfs_system() {
  if have mkinitramfs && [ -d /etc/initramfs-tools ]; then
    echo initramfs-tools
  elif have dracut; then
    echo dracut
  elif [ "$1" = apt ]; then
    echo initramfs-tools
  else
    echo dracut
  fi
}

# The packages of the UEFI loaders, when the node has none of them.
missing_loaders() {
  for f in /boot/efi/EFI/*/*.[eE][fF][iI] /usr/lib/shim/*.efi* /usr/lib64/efi/*.efi /usr/lib/grub/*-efi-signed/*; do
    [ -f "$f" ] && return
  done
  case $(uname -m) in
    aarch64) deb=arm64 efi=aa64 grub=arm64 ;;
    *) deb=amd64 efi=x64 grub=x86_64 ;;
  esac
  case $1 in
    apt) echo "shim-signed grub-efi-$deb-signed" ;;
    zypper) echo "shim grub2-$grub-efi" ;;
    dnf | yum) echo "shim-$efi grub2-efi-$efi" ;;
  esac
}

# A JSON array of the words given.
json_words() {
  out="" sep=""
  for w in "$@"; do
    out="$out$sep\"$w\""
    sep=", "
  done
  printf '[%s]\n' "$out"
}

# The text of file $1 as a JSON string.
json_text() {
  tr -d '\000-\010\013-\037' <"$1" | sed 's/\\/\\\\/g; s/"/\\"/g; s/\t/\\t/g' |
    awk 'BEGIN { ORS = ""; print "\"" } { print $0 "\\n" } END { print "\"" }'
}

getfingerprint() {
  [ "$(id -u)" = 0 ] || die "capture needs to log in as root, not as '$(id -un)'"
  osrelease=/etc/os-release
  [ -f "$osrelease" ] || osrelease=/usr/lib/os-release
  [ -f "$osrelease" ] || die "the node has no /etc/os-release"
  tool=$(package_tool)
  system=$(initramfs_system "$tool")
  unmet=""
  needed="mksquashfs unshare curl dmsetup"
  if [ "$system" = initramfs-tools ]; then needed="$needed mkinitramfs busybox losetup"; else needed="$needed dracut"; fi
  for program in $needed; do
    have "$program" || unmet="$unmet $(package_of "$tool" "$program")"
  done
  kernels=""
  for k in /boot/vmlinuz-*; do
    v=${k#/boot/vmlinuz-}
    case $v in *[!A-Za-z0-9._+~-]* | "*") continue ;; esac
    [ -f "$k" ] && kernels="$kernels $v"
  done
  running=$(uname -r)
  case $running in *[!A-Za-z0-9._+~-]*) running="" ;; esac
  # shellcheck disable=SC2046,SC2086 # word lists, split on purpose
  # printf, not echo: dash's echo would turn the \n of the JSON text into line breaks.
  {
    printf '{"osrelease": %s,\n' "$(json_text "$osrelease")"
    printf ' "arch": "%s", "runningkernel": "%s", "kernels": %s,\n' "$(uname -m)" "$running" "$(json_words $kernels)"
    printf ' "initramfs": "%s", "packagetool": "%s",\n' "$system" "$tool"
    printf ' "unmetprereqs": %s, "optionalprereqs": %s}\n' "$(json_words $unmet)" "$(json_words $(missing_loaders "$tool"))"
  } >"$CAPENV/fingerprint.json" || die "cannot write $CAPENV/fingerprint.json"
  start_stream
  emit fingerprint.json "$CAPENV/fingerprint.json"
  end_stream
}

# Field $2 of /proc/$1/stat, counted after the command name, which may hold spaces.
proc_stat() {
  line=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  # shellcheck disable=SC2086 # split into fields on purpose
  set -- "$2" ${line##*") "}
  shift "$1"
  echo "$1"
}

# Notes this session's process group (ssh sessions have their own), which capturelocalcleanup
# stops if the server goes away before it ends. A group this process cannot see (outside its
# PID namespace) is not noted.
record_group() {
  group=$(proc_stat $$ 3) && start=$(proc_stat "$group" 20) || return 0
  echo "$group $start" >>"$CAPENV/groups" || die "cannot write $CAPENV/groups"
}

# Starts the private half of a mode in a new mount namespace.
enter_namespace() {
  have unshare || die "unshare is not installed"
  record_group
  mkdir -p "$WORK" || die "cannot make $WORK"
  exec unshare -m sh "$SELF" "$@"
}

# private_work [run]: the namespace's mounts made private, a tmpfs at $WORK; with "run", a
# tmpfs over /run first, for what the initramfs tools keep there (blkid's cache).
private_work() {
  mount -n --make-rprivate / || die "cannot make the mounts of the capture private"
  if [ "${1:-}" = run ]; then
    mount -n -t tmpfs -o mode=0755 imgutil-run /run && mkdir -p "$WORK" || die "cannot mount a tmpfs at /run"
  fi
  mount -n -t tmpfs -o mode=0700 imgutil-capture "$WORK" || die "cannot mount a tmpfs at $WORK"
  mkdir "$WORK/masks" "$WORK/mnt" "$WORK/out" "$WORK/tmp" || die "cannot make directories in $WORK"
}

# Unescapes a mountinfo field (\040 is a space, \011 a tab, \012 a newline, \134 a backslash).
unescape() {
  printf '%s\n' "$1" | sed 's/\\040/ /g; s/\\011/\t/g; s/\\012/\n/g; s/\\134/\\/g'
}

# The local file systems to capture, one per line: mount point, type, device and options,
# tab-separated, sorted by mount point ("/" first). A file system mounted twice counts once;
# bind mounts of a part of one (a file or a directory) are left out, as are zram devices.
list_filesystems() {
  seen=" "
  while read -r _ _ devno root mnt opts rest; do
    set -f
    # shellcheck disable=SC2086 # fstype, source and super options
    set -- ${rest#*- }
    set +f
    case $1 in ext2 | ext3 | ext4 | xfs | btrfs | vfat) ;; *) continue ;; esac
    case $2 in /dev/zram*) continue ;; esac
    [ "$root" = / ] || [ "$1" = btrfs ] || continue
    case $seen in *" $devno:$root "*) continue ;; esac
    seen="$seen$devno:$root "
    mnt=$(unescape "$mnt")
    [ -d "$mnt" ] && printf '%s\t%s\t%s\t%s\n' "$mnt" "$1" "$(unescape "$2")" "$opts"
  done </proc/self/mountinfo | sort
}

root_fstype() {
  while read -r _ _ _ _ mnt _ rest; do
    [ "$mnt" = / ] && fstype=$(printf '%s\n' "${rest#*- }" | cut -d' ' -f1)
  done </proc/self/mountinfo
  echo "${fstype:-unknown}"
}

sanitise_shadow() {
  awk -F: 'BEGIN { OFS = ":" } NF > 1 && $2 != "*" && $2 != "!!" { $2 = "!!" } { print }' "$1"
}

sanitise_fstab() {
  awk '/^[ \t]*(#|$)/ { print; next }
    { i = index($0, $1); print substr($0, 1, i - 1) "#ORIGFSTAB#" $1 "#" substr($0, i + length($1)) }' "$1"
}

# mask KIND PATTERN: binds a sanitised copy (KIND shadow or fstab) or an empty file (KIND
# empty) over each file of the bound file system $bound that PATTERN (a path on the node,
# wildcards allowed) names, with the owner and mode of the file it hides.
mask() {
  if [ "$mnt" = / ]; then
    rel=$2
  else
    case $2 in "$mnt"/*) rel=${2#"$mnt"} ;; *) return 0 ;; esac
  fi
  for f in $bound$rel; do
    [ -f "$f" ] && [ ! -L "$f" ] || continue
    masks=$((masks + 1))
    m=$WORK/masks/$masks
    case $1 in
      shadow) sanitise_shadow "$f" >"$m" ;;
      fstab) sanitise_fstab "$f" >"$m" ;;
      *) : >"$m" ;;
    esac || die "cannot sanitise ${f#"$bound"}"
    chown "$(stat -c %u:%g "$f")" "$m" && chmod "$(stat -c %a "$f")" "$m" && mount -n --bind "$m" "$f" ||
      die "cannot mask ${f#"$bound"}"
  done
}

mask_secrets() {
  for f in /etc/shadow /etc/shadow- /etc/gshadow /etc/gshadow-; do mask shadow "$f"; done
  mask fstab /etc/fstab
  for f in /etc/security/opasswd /etc/confluent/confluent.apikey '/etc/ssh/ssh_host_*key' \
    '/etc/pki/tls/private/*' '/root/.ssh/id_*' '/etc/netplan/*.yaml' '/etc/netplan/*.yml'; do
    mask empty "$f"
  done
}

# capture_filesystem N MOUNT TYPE DEVICE OPTIONS COMPRESSION: its squashfs into the stream,
# its line into filesystems.tsv.
capture_filesystem() {
  bound=$WORK/mnt/$1 mnt=$2
  mkdir "$bound" && mount -n --bind "$mnt" "$bound" && mount -n -o remount,bind,ro "$bound" ||
    die "cannot bind $mnt read-only"
  mask_secrets
  sizes=$(stat -f -c '%S %b %f' "$mnt") || die "cannot read the size of $mnt"
  # shellcheck disable=SC2086 # block size, blocks, free blocks
  set -- "$@" $sizes
  minsize=$((($8 - $9) * $7)) initsize=$(($8 * $7))
  out=$WORK/out/fs$1.sfs
  mksquashfs "$bound" "$out" -comp "$6" -noappend -no-progress </dev/null >"$WORK/log" 2>&1 ||
    die "mksquashfs of $mnt failed: $(tail -n 1 "$WORK/log")"
  emit "fs$1.sfs" "$out"
  rm -f "$out"
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$mnt" "$3" "$4" "$5" "$minsize" "$initsize" >>"$WORK/out/filesystems.tsv"
}

capturelocal_private() {
  [ $# -eq 1 ] || die "usage: capturelocal COMPRESSION"
  have mksquashfs || die "mksquashfs is not installed"
  private_work
  list_filesystems >"$WORK/filesystems" || die "cannot read /proc/self/mountinfo"
  first=$(cut -f1 "$WORK/filesystems" | head -n 1)
  [ "$first" = / ] ||
    die "the root file system is $(root_fstype), which capture does not take (ext2, ext3, ext4, xfs, btrfs, vfat)"
  start_stream
  n=0 masks=0
  while IFS=$TAB read -r fs_mnt fs_type fs_dev fs_opts; do
    capture_filesystem "$n" "$fs_mnt" "$fs_type" "$fs_dev" "$fs_opts" "$1"
    n=$((n + 1))
  done <"$WORK/filesystems"
  emit filesystems.tsv "$WORK/out/filesystems.tsv"
  end_stream
}

# The boot hook sent by the server goes into a copy of the node's initramfs configuration,
# which is bound over the original in this namespace only.
make_initramfs() {
  command -v imgutil_payload >/dev/null || die "the server sent no boot hook"
  case $2 in
    initramfs-tools)
      have mkinitramfs || die "mkinitramfs is not installed"
      cp -a /etc/initramfs-tools "$WORK/initramfs-tools" && imgutil_payload "$WORK/initramfs-tools" ||
        die "cannot add the boot hook to a copy of /etc/initramfs-tools"
      TMPDIR=$WORK/tmp mkinitramfs -d "$WORK/initramfs-tools" -o "$WORK/out/initramfs" "$1" \
        </dev/null >"$WORK/log" 2>&1 || die "mkinitramfs failed: $(tail -n 1 "$WORK/log")"
      ;;
    dracut)
      have dracut || die "dracut is not installed"
      modules=/usr/lib/dracut/modules.d
      cp -a "$modules" "$WORK/modules.d" && mkdir "$WORK/modules.d/97confluent" &&
        imgutil_payload "$WORK/modules.d/97confluent" && mount -n --bind "$WORK/modules.d" "$modules" ||
        die "cannot add the boot hook to a copy of $modules"
      dracut -N --xz -m 'confluent base terminfo' -o ifcfg --tmpdir "$WORK/tmp" -f "$WORK/out/initramfs" "$1" \
        </dev/null >"$WORK/log" 2>&1 || die "dracut failed: $(tail -n 1 "$WORK/log")"
      ;;
    *) die "unknown initramfs system '$2'" ;;
  esac
}

# The UEFI loaders the server picks from (as "root/<path>"): files of the ESP's EFI directory
# and of the shim and signed GRUB packages, links followed.
emit_loaders() {
  for dir in /boot/efi/EFI /usr/lib/shim /usr/lib64/efi /usr/lib/grub/*-efi-signed; do
    [ -d "$dir" ] && find "$dir" -type f -o -type l
  done >"$WORK/loaders"
  while read -r f; do
    case $f in *[!A-Za-z0-9._/+-]*) continue ;; *.efi | *.EFI | *.efi.signed) ;; *) continue ;; esac
    [ -f "$f" ] && [ "$(wc -c <"$f")" -le 67108864 ] && emit "root$f" "$f"
  done <"$WORK/loaders"
}

capturelocalboot_private() {
  [ $# -eq 2 ] || die "usage: capturelocalboot KERNELVERSION INITRAMFS"
  [ -f "/boot/vmlinuz-$1" ] || die "there is no /boot/vmlinuz-$1"
  private_work run
  make_initramfs "$1" "$2"
  start_stream
  emit kernel "/boot/vmlinuz-$1"
  emit initramfs "$WORK/out/initramfs"
  emit_loaders
  end_stream
}

# stop_group GROUP START: stops the process group whose leader started at START, if it still runs.
stop_group() {
  [ "$1" -gt 1 ] 2>/dev/null && [ "$1" != "$(proc_stat $$ 3)" ] || return 0
  [ "$(proc_stat "$1" 20)" = "$2" ] || return 0
  kill -TERM "-$1" 2>/dev/null || return 0
  tries=0
  while kill -0 "-$1" 2>/dev/null && [ $tries -lt 10 ]; do
    sleep 1
    tries=$((tries + 1))
  done
  kill -KILL "-$1" 2>/dev/null
  return 0
}

capturelocalcleanup() {
  if [ -f "$CAPENV/groups" ]; then
    while read -r group start; do stop_group "$group" "$start"; done <"$CAPENV/groups"
  fi
  rm -rf /run/imgutil || die "cannot remove /run/imgutil"
  start_stream
  end_stream
}

main() {
  mode=$1
  shift
  case $mode in
    getfingerprint) getfingerprint ;;
    capturelocal) enter_namespace capturelocal-private "$@" ;;
    capturelocal-private) capturelocal_private "$@" ;;
    capturelocalboot) enter_namespace capturelocalboot-private "$@" ;;
    capturelocalboot-private) capturelocalboot_private "$@" ;;
    capturelocalcleanup) capturelocalcleanup ;;
    *) die "unknown mode '$mode'" ;;
  esac
}

main "$@" </dev/null
