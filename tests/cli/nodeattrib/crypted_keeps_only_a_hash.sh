must nodedefine n1
run nodeattrib n1 crypted.rootpassword=hunter2
expect_out "n1: crypted.rootpassword: ********"
! grep -rq hunter2 "$CONFLUENT_ROOT" || fail "plaintext password found on disk"
hash=$(sqlite3 "$CONFLUENT_ROOT/etc/confluent/cfg/attributes.sqlite" "select hash from attributes where name='crypted.rootpassword'")
case $hash in \$6\$????????????????\$*) ;; *) fail "not a SHA-512 crypt hash: $hash" ;; esac
grub=$(sqlite3 "$CONFLUENT_ROOT/etc/confluent/cfg/attributes.sqlite" "select grubhash from attributes where name='crypted.rootpassword'")
case $grub in grub.pbkdf2.sha512.10000.*) ;; *) fail "not a grub pbkdf2 hash: $grub" ;; esac
