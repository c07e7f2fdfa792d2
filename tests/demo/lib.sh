# Helpers for the ipcdemo tests (sourced): TAP output, starting ipcdemo in
# the background with --json, and the leftover check.  Every test kills
# only the pids it started, and leaves nothing behind even when it fails.

IPCDEMO=${IPCDEMO:-$(cd "$(dirname "$0")/../.." && pwd)/src/demo/ipcdemo}
PYTHON=${PYTHON3:-python3}
tap_n=0
tap_failed=0
TMPD=$(mktemp -d "${TMPDIR:-/tmp}/ipcdemo-test.XXXXXX") || exit 1
started_pids=

ok() {		# ok CONDITION-STATUS DESCRIPTION
	tap_n=$((tap_n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $tap_n - $2"
	else
		echo "not ok $tap_n - $2"
		tap_failed=1
	fi
}

skip() {
	tap_n=$((tap_n + 1))
	echo "ok $tap_n # SKIP $1"
}

diag() {
	sed 's/^/# /' "$@"
}

# At exit: SIGKILL what we started and still runs, then --cleanup (which
# never touches a live ipcdemo; run only when we killed one, so as not to
# sweep the leftovers another test is about to check).
lib_cleanup() {
	killed=
	for p in $started_pids; do
		kill -KILL "$p" 2>/dev/null && killed=1
	done
	for p in $started_pids; do
		wait "$p" 2>/dev/null
	done
	[ -n "$killed" ] && "$IPCDEMO" --cleanup >/dev/null 2>&1
	rm -rf "$TMPD"
}
trap lib_cleanup EXIT
trap 'exit 1' INT TERM HUP

# start_demo NAME ARGS...: runs ipcdemo --json ARGS in the background with
# output in $TMPD/NAME.out/.err; sets DEMO_PID; waits for the JSON line.
start_demo() {
	name=$1
	shift
	$START_PREFIX "$IPCDEMO" --json "$@" >"$TMPD/$name.out" \
		2>"$TMPD/$name.err" &
	DEMO_PID=$!
	started_pids="$started_pids $DEMO_PID"
	i=0
	while [ $i -lt 100 ]; do
		if [ -s "$TMPD/$name.out" ] &&
		   head -n 1 "$TMPD/$name.out" | grep -q '}$'; then
			head -n 1 "$TMPD/$name.out" >"$TMPD/$name.json"
			return 0
		fi
		kill -0 "$DEMO_PID" 2>/dev/null || break
		sleep 0.1
		i=$((i + 1))
	done
	diag "$TMPD/$name.err"
	return 1
}

# wait_exit PID SECONDS: waits for our child PID; sets DEMO_RC (124 if it
# did not end in time).
wait_exit() {
	i=0
	DEMO_RC=124
	while [ $i -lt $(($2 * 10)) ]; do
		if ! kill -0 "$1" 2>/dev/null; then
			wait "$1"
			DEMO_RC=$?
			return 0
		fi
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

# json_query FILE PYTHON-EXPR: prints the expression over the document d
json_query() {
	"$PYTHON" -c '
import json, sys
d = json.loads(open(sys.argv[1]).readline())
r = eval(sys.argv[2])
if isinstance(r, (list, tuple)):
    print("\n".join(str(x) for x in r))
elif r is not None:
    print(r)
' "$1" "$2"
}

# Alive and not a zombie (zombies of killed workers wait for init to reap).
pid_alive() {
	[ -r "/proc/$1/stat" ] || return 1
	st=$(sed 's/.*) \(.\).*/\1/' "/proc/$1/stat" 2>/dev/null) || return 1
	[ -n "$st" ] && [ "$st" != Z ] && [ "$st" != X ]
}

# leftovers NAME: prints what remains of the run whose JSON is NAME.json
# (processes, POSIX objects, SysV keys, files, state file); empty if none.
leftovers() {
	j="$TMPD/$1.json"
	p=$(json_query "$j" 'd["pid"]')
	i=0
	while [ $i -lt 30 ]; do	# workers may take a moment to die
		alive=
		for w in $(json_query "$j" \
			'[p["pid"] for s in d["scenarios"] for p in s["processes"]]'); do
			pid_alive "$w" && alive="$alive $w"
		done
		[ -z "$alive" ] && break
		sleep 0.1
		i=$((i + 1))
	done
	[ -n "$alive" ] && echo "processes:$alive"
	ls -d /dev/shm/*ipcdemo."$p".* /dev/mqueue/ipcdemo."$p".* \
		/tmp/ipcdemo."$p" 2>/dev/null
	state=$(json_query "$j" 'd["state_file"]')
	[ -e "$state" ] && echo "state file $state"
	for k in $(json_query "$j" \
		'[o["key"] for s in d["scenarios"] for o in s["objects"] if "key" in o]'); do
		cat /proc/sysvipc/msg /proc/sysvipc/shm /proc/sysvipc/sem \
			2>/dev/null | awk -v k="$k" '$1 == k { print "sysv key " k }'
	done
	for f in $(json_query "$j" \
		'[o["path"] for s in d["scenarios"] for o in s["objects"] if "path" in o]'); do
		[ -e "$f" ] && echo "file $f"
	done
	return 0
}
