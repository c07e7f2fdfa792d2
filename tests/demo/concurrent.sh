#!/bin/sh
# Two ipcdemo runs at once do not collide: different names, keys, ports and
# files; both move messages and both clean up.
. "${TOP_SRCDIR:-$(dirname "$0")/../..}/tests/demo/lib.sh"

echo "1..6"
S="pipe fifo posix-mq sysv-msg posix-shm sysv-shm mmap unix-stream
unix-dgram rpc tcp udp many-to-many"

start_demo one --rate 10 --duration 3 $S
a=$DEMO_PID
start_demo two --rate 10 --duration 3 $S
b=$DEMO_PID
ids() {
	json_query "$TMPD/$1.json" '[o.get("path") or o.get("name") or o.get("local") or o.get("key") for s in d["scenarios"] for o in s["objects"] if o["kind"] not in ("pipe", "memfd", "eventfd") and (o.get("path") or o.get("name") or o.get("local") or o.get("key"))]' | sort
}
ids one >"$TMPD/ids1"
ids two >"$TMPD/ids2"
n1=$(wc -l <"$TMPD/ids1")
common=$(comm -12 "$TMPD/ids1" "$TMPD/ids2")
[ "$n1" -ge 15 ] && [ -z "$common" ]
ok $? "the two runs share no name, key, port or path ($n1 each)${common:+: $common}"
wait_exit "$a" 20
rc1=$DEMO_RC
wait_exit "$b" 20
rc2=$DEMO_RC
[ $rc1 -eq 0 ] && [ $rc2 -eq 0 ]
ok $? "both end normally (exit $rc1 and $rc2)"
for r in one two; do
	sed -n 2p "$TMPD/$r.out" >"$TMPD/$r.sum"
	low=$(json_query "$TMPD/$r.sum" '[x["name"] for x in d["summary"] if x["received"] < 3]')
	[ -z "$low" ]
	ok $? "run $r: every scenario moved messages${low:+ (not: $low)}"
done
for r in one two; do
	left=$(leftovers $r)
	[ -z "$left" ]
	ok $? "run $r: nothing is left${left:+: $(echo $left)}"
done
exit 0
