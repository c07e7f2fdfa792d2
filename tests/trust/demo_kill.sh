#!/bin/sh
# ipcdemo killed at random moments: in every scenario, SIGKILL of the
# supervisor or of one of its workers (chosen at random from `ipcdemo --json`)
# then `ipcdemo --cleanup` leaves nothing behind; SIGINT and SIGTERM at a
# random moment leave nothing behind by themselves. DEMO_KILL_SEED replays a
# run (the seed is printed).
. "${TOP_SRCDIR:-$(dirname "$0")/../..}/tests/demo/lib.sh"

seed=${DEMO_KILL_SEED:-$(od -An -N2 -tu2 /dev/urandom | tr -d ' ')}
echo "# DEMO_KILL_SEED=$seed"
# rnd N: sets R to a number in 0..N-1, from the seed (reproducible; not
# in a $(...) subshell, which would not advance the seed)
rnd() {
	seed=$(((seed * 1103515245 + 12345) % 2147483648))
	R=$(((seed / 65536) % $1))
}
# a pause of 0..999 ms
pause() {
	rnd 1000
	sleep "$(printf '%d.%03d' 0 "$R")"
}

for sc in $("$IPCDEMO" --list | awk '{ print $1 }'); do
	if ! "$IPCDEMO" --is-available "$sc" >/dev/null 2>&1; then
		skip "$sc: not available here"
		continue
	fi
	# SIGKILL of the supervisor or a worker, then --cleanup
	if ! start_demo "k$sc" --rate 20 "$sc"; then
		ok 1 "$sc: ipcdemo starts"
		continue
	fi
	workers=$(json_query "$TMPD/k$sc.json" \
		'[p["pid"] for s in d["scenarios"] for p in s["processes"]]')
	n=$(echo "$workers" | wc -w)
	rnd $((n + 1))
	pick=$R
	if [ "$pick" -eq 0 ]; then
		victim=$DEMO_PID what=supervisor
	else
		victim=$(echo "$workers" | tr ' ' '\n' | sed -n "${pick}p") what="worker $pick of $n"
	fi
	pause
	kill -KILL "$victim" 2>/dev/null
	# a killed worker makes the supervisor stop; a killed supervisor takes
	# its workers with it (PR_SET_PDEATHSIG); give either 15 s
	kill -0 "$DEMO_PID" 2>/dev/null && [ "$victim" != "$DEMO_PID" ] && wait_exit "$DEMO_PID" 15
	[ "$victim" = "$DEMO_PID" ] && wait "$DEMO_PID" 2>/dev/null
	"$IPCDEMO" --cleanup >"$TMPD/k$sc.cleanup" 2>&1
	rc=$?
	left=$(leftovers "k$sc")
	[ "$rc" -eq 0 ] && [ -z "$left" ]
	ok $? "$sc: SIGKILL of the $what, then --cleanup: nothing left${left:+: $(echo $left)}"

	# SIGINT or SIGTERM to the supervisor: it cleans up by itself
	rnd 2
	if [ "$R" -eq 0 ]; then sig=INT code=130; else sig=TERM code=143; fi
	if ! start_demo "s$sc" --rate 20 "$sc"; then
		ok 1 "$sc: ipcdemo starts"
		continue
	fi
	pause
	kill -s "$sig" "$DEMO_PID" 2>/dev/null
	wait_exit "$DEMO_PID" 15
	left=$(leftovers "s$sc")
	{ [ "$DEMO_RC" -eq "$code" ] || [ "$DEMO_RC" -eq 0 ]; } && [ -z "$left" ]
	ok $? "$sc: SIG$sig: exit $DEMO_RC, nothing left without --cleanup${left:+: $(echo $left)}"
done
echo "1..$tap_n"
exit $tap_failed
