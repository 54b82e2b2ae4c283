# -d: a changed "key=value" shows as its removed line followed by its added line;
# unlike lines of a change come removed first, then added.
input=$'n1: mode=off\nn1: speed=slow\nn1: a\nn2: mode=off\nn2: speed=slow\nn2: a\n'
input+=$'n3: mode=on\nn3: speed=fast\nn3: a\nn4: mode=off\nn4: speed=slow\nn4: zzzz\nn4: yyyy\n'
run_input "$input" collate -d -s
expect_rc 0
expect_out "====================================
n3
====================================
@@
- mode=off
+ mode=on
- speed=slow
+ speed=fast
  a

====================================
n4
====================================
@@
  mode=off
  speed=slow
- a
+ zzzz
+ yyyy"
