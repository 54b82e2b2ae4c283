# imgutil capture completes its node from the store, and only there: the other subcommands
# take directories, and capture's profile name is new.
make_cluster
must nodegroupdefine rackless
run imgutil --_complete 2 imgutil capture n
expect_rc 0
expect_out $'n1\nn2\nn3\nn4\nn5\nn6'
run imgutil --_complete 4 imgutil capture --compress zstd n5
expect_out "n5"
run imgutil --_complete 2 imgutil capture r
expect_out ""
run imgutil --_complete 3 imgutil capture n1 n
expect_out ""
run imgutil --_complete 2 imgutil pack n
expect_out ""
run imgutil --_complete 1 imgutil ca
expect_out "capture"
run imgutil --_complete 2 imgutil capture --comp
expect_out "--compress"
