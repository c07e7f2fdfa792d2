#!/bin/sh
# ipcdemo cleans up whatever happens: SIGINT, SIGTERM, SIGHUP, a Ctrl-C to
# the whole process group, a crashed worker (and a crashed grandchild), and
# SIGKILL of the supervisor followed by `ipcdemo --cleanup`.
. "${TOP_SRCDIR:-$(dirname "$0")/../..}/tests/demo/lib.sh"

echo "1..25"

# every kind of named object, and a worker's own child (pipe, eventfd)
S="pipe fifo posix-mq sysv-msg posix-shm sysv-shm mmap memfd unix-stream
unix-dgram rpc tcp eventfd signal bounded"

# created NAME: the run's named objects exist while it runs
created() {
	j="$TMPD/$1.json"
	p=$(json_query "$j" 'd["pid"]')
	[ -d "/tmp/ipcdemo.$p" ] && [ -e "$(json_query "$j" 'd["state_file"]')" ] &&
		ls /dev/shm/ipcdemo."$p".* /dev/mqueue/ipcdemo."$p".* \
			2>/dev/null | grep -q .
}

for sig in INT:2 TERM:15 HUP:1; do
	num=${sig#*:}
	sig=${sig%:*}
	start_demo "sig$sig" --rate 10 $S
	sleep 0.5
	created "sig$sig"
	ok $? "SIG$sig: the run is up with its objects"
	kill -s "$sig" "$DEMO_PID"
	wait_exit "$DEMO_PID" 15
	want=$((128 + num))
	[ "$DEMO_RC" -eq "$want" ]
	ok $? "SIG$sig: ipcdemo exits $want (got $DEMO_RC)"
	left=$(leftovers "sig$sig")
	[ -z "$left" ]
	ok $? "SIG$sig: nothing is left${left:+: $(echo $left)}"
done

# Ctrl-C on a terminal signals the whole process group
START_PREFIX=setsid start_demo pgrp --rate 10 pipe posix-mq sysv-shm tcp
sleep 0.5
kill -s INT -- "-$DEMO_PID"
wait_exit "$DEMO_PID" 15
[ "$DEMO_RC" -eq 130 ] && ! grep -q "killed by signal" "$TMPD/pgrp.err"
ok $? "SIGINT to the process group: a clean stop, exit 130 (got $DEMO_RC)"
left=$(leftovers pgrp)
[ -z "$left" ]
ok $? "SIGINT to the process group: nothing is left${left:+: $(echo $left)}"

# a worker crashes
start_demo segv --rate 10 posix-mq sysv-msg fifo
sleep 0.5
victim=$(json_query "$TMPD/segv.json" '[p["pid"] for s in d["scenarios"] for p in s["processes"] if p["name"] == "mq-consumer"][0]')
kill -s SEGV "$victim"
wait_exit "$DEMO_PID" 15
[ "$DEMO_RC" -eq 1 ]
ok $? "a worker killed by SIGSEGV: ipcdemo stops with exit 1 (got $DEMO_RC)"
grep -q "mq-consumer\[$victim\] was killed by signal 11" "$TMPD/segv.err"
ok $? "it says which worker died and how"
left=$(leftovers segv)
[ -z "$left" ]
ok $? "a crashed worker: nothing is left${left:+: $(echo $left)}"

# a worker's own child crashes (pipe-reader is pipe-writer's child)
start_demo gchild --rate 10 pipe posix-shm
sleep 0.5
victim=$(json_query "$TMPD/gchild.json" '[p["pid"] for s in d["scenarios"] for p in s["processes"] if p["name"] == "pipe-reader"][0]')
kill -s KILL "$victim"
wait_exit "$DEMO_PID" 15
[ "$DEMO_RC" -eq 1 ] && grep -q "pipe-reader\[$victim\] was killed" "$TMPD/gchild.err"
ok $? "a grandchild killed: reported, exit 1 (got $DEMO_RC)"
left=$(leftovers gchild)
[ -z "$left" ]
ok $? "a crashed grandchild: nothing is left${left:+: $(echo $left)}"

# SIGKILL of the supervisor: workers die with it, named objects stay
start_demo kill9 --rate 10 $S
sleep 0.5
p=$(json_query "$TMPD/kill9.json" 'd["pid"]')
start_demo live --rate 10 posix-mq sysv-msg fifo	# must survive --cleanup
kill -s KILL "$p"
wait "$p" 2>/dev/null
left=$(leftovers kill9)
echo "$left" | grep -q "^processes:"
ok $((! $?)) "SIGKILL: every worker dies with the supervisor (PR_SET_PDEATHSIG)"
echo "$left" | grep -q "sysv key" && echo "$left" | grep -q "state file"
ok $? "SIGKILL: SysV objects and the state file remain, as expected"
"$IPCDEMO" --cleanup >"$TMPD/cleanup.out" 2>&1
ok $? "ipcdemo --cleanup exits 0"
grep -q "removed sysv_msg key" "$TMPD/cleanup.out" &&
	grep -q "removed posix_mq /dev/mqueue/ipcdemo.$p.jobs" "$TMPD/cleanup.out"
ok $? "--cleanup says what it removed"
left=$(leftovers kill9)
[ -z "$left" ]
ok $? "SIGKILL + --cleanup: nothing is left${left:+: $(echo $left)}"
"$IPCDEMO" --cleanup >"$TMPD/cleanup2.out" 2>&1
grep -q "ipcdemo: 0 leftovers removed" "$TMPD/cleanup2.out"
ok $? "a second --cleanup finds nothing"
created live && kill -0 "$DEMO_PID"
ok $? "--cleanup leaves a running ipcdemo and its objects alone"
kill -s TERM "$DEMO_PID"
wait_exit "$DEMO_PID" 15
left=$(leftovers live)
[ "$DEMO_RC" -eq 143 ] && [ -z "$left" ]
ok $? "which then stops clean on SIGTERM${left:+: $(echo $left)}"

# --duration with nothing to watch but work that ends (race): ends "done"
"$IPCDEMO" --json --quiet race >"$TMPD/race.out" 2>/dev/null
rc=$?
[ $rc -eq 0 ] && sed -n 2p "$TMPD/race.out" | grep -q '"stopped":"done"'
ok $? "a run whose work is done ends by itself, exit 0 (got $rc)"
exit 0
