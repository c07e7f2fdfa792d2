#!/bin/sh
# Every scenario starts, names its processes, moves messages and stops clean:
# `ipcdemo --json all` at 20 messages a second for 4 seconds, then the
# summary must show traffic for each scenario.  A verbose run narrates sends
# and receives.
. "${TOP_SRCDIR:-$(dirname "$0")/../..}/tests/demo/lib.sh"

names=$("$IPCDEMO" --list | awk '{ print $1 }')
nnames=$(echo "$names" | wc -l)
echo "1..$((2 * nnames + 8))"

start_demo all --rate 20 --duration 4 all
ok $? "ipcdemo --json all prints its JSON document"
j="$TMPD/all.json"

# while it runs: each process listed is alive and carries its name
sleep 1
"$PYTHON" - "$j" >"$TMPD/names" <<'PY'
import json, sys
d = json.loads(open(sys.argv[1]).readline())
for x in d["skipped"]:
    print(x["name"], "skip", x["reason"])
for x in d["scenarios"]:
    wrong = []
    for p in x["processes"]:
        try:
            comm = open("/proc/%d/comm" % p["pid"]).read().strip()
        except OSError:
            comm = ""
        # race and mutex may already have finished their work
        if comm != p["name"] and not (x["name"] in ("race", "mutex") and not comm):
            wrong.append("%d:%s(%s)" % (p["pid"], p["name"], comm))
    print(x["name"], len(x["processes"]), " ".join(wrong))
PY
for s in $names; do
	set -- $(grep "^$s " "$TMPD/names")
	if [ "$2" = skip ]; then
		skip "$s is not available here"
		continue
	fi
	n=${2:-0}
	shift 2
	[ "$n" -ge 2 ] && [ $# -eq 0 ]
	ok $? "$s: $n processes running under their names${1:+ (wrong: $*)}"
done

kinds=$(json_query "$j" '[o["kind"] for s in d["scenarios"] for o in s["objects"]]' | sort -u | tr '\n' ' ')
bad=
for k in $kinds; do
	case $k in
	pipe|fifo|unix|tcp|udp|posix_shm|posix_sem|posix_mq|sysv_shm|sysv_msg|sysv_sem|mmap|memfd|eventfd|dir) ;;
	*) bad="$bad $k" ;;
	esac
done
[ -z "$bad" ] && [ "$(echo $kinds | wc -w)" -ge 14 ]
ok $? "objects use ipctop's kind names, all 14 of them ($kinds)"

wait_exit "$DEMO_PID" 20
ok $DEMO_RC "the run ends by itself at the end of --duration, exit 0"

sed -n 2p "$TMPD/all.out" >"$TMPD/summary.json"
json_query "$TMPD/summary.json" '["%s %s" % (x["name"], x["result"] if x["name"] in ("race", "mutex") else x["received"]) for x in d["summary"]]' >"$TMPD/moved"
for s in $names; do
	res=$(sed -n "s/^$s //p" "$TMPD/moved")
	case $s in
	race|mutex) echo "$res" | grep -q "^expected" ;;
	*) [ -n "$res" ] && [ "$res" -ge 3 ] ;;
	esac
	ok $? "$s moved messages: ${res:-nothing}"
done

left=$(leftovers all)
[ -z "$left" ]
ok $? "nothing is left after the end of --duration${left:+: $left}"
[ -z "$left" ] || echo "$left" | diag

# --verbose narrates each send and receive, and counts grow
"$IPCDEMO" --verbose --rate 20 --duration 1.5 pipe posix-mq >"$TMPD/v.out" 2>&1
ok $? "a verbose run of pipe and posix-mq exits 0"
n1=$(grep -c '^pipe-reader\[[0-9]*\]: received #[0-9]* (64 bytes)' "$TMPD/v.out")
n2=$(grep -c '^mq-consumer\[[0-9]*\]: received #[0-9]* from [0-9]*' "$TMPD/v.out")
[ "$n1" -ge 10 ] && [ "$n2" -ge 10 ] &&
	grep -q '^pipe-reader\[[0-9]*\]: received #10 ' "$TMPD/v.out"
ok $? "--verbose narrates every receive ($n1 pipe, $n2 posix-mq), with growing numbers"
grep -q '^  pipe: sent [1-9][0-9]*, received [1-9]' "$TMPD/v.out"
ok $? "the text summary counts what was sent and received"

"$IPCDEMO" --quiet --duration 1 --size 4000 --rate 5 posix-shm sysv-shm unix-dgram >"$TMPD/q.out" 2>&1
rc=$?
[ $rc -eq 0 ] && [ ! -s "$TMPD/q.out" ]
ok $? "--quiet prints nothing, --size 4000 works (exit $rc)"
[ -s "$TMPD/q.out" ] && diag "$TMPD/q.out"
exit 0
