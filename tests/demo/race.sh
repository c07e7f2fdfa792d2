#!/bin/sh
# `race` loses updates (no lock) and `mutex` does not (a semaphore), both
# reported as a line a script can check; both end by themselves.
. "${TOP_SRCDIR:-$(dirname "$0")/../..}/tests/demo/lib.sh"

echo "1..8"

result() {	# result SCENARIO: runs it alone, quietly
	timeout 60 "$IPCDEMO" --quiet "$1" >"$TMPD/$1.out" 2>"$TMPD/$1.err"
	RC=$?
	set -- $(sed -n "s/^$1: finished: expected \([0-9]*\), got \([0-9]*\) (lost \([0-9]*\) updates)$/\1 \2 \3/p" "$TMPD/$1.out")
	EXPECTED=${1:-0} GOT=${2:-0} LOST=${3:-0}
}

result race
[ $RC -eq 0 ]
ok $? "race ends by itself, exit 0 (got $RC)"
[ "$EXPECTED" -gt 0 ] && [ $((EXPECTED - GOT)) -eq "$LOST" ]
ok $? "race prints expected $EXPECTED, got $GOT (lost $LOST updates)"
[ "$LOST" -gt 0 ] && [ "$GOT" -lt "$EXPECTED" ]
ok $? "race loses updates ($LOST of $EXPECTED)"

result mutex
[ $RC -eq 0 ]
ok $? "mutex ends by itself, exit 0 (got $RC)"
[ "$EXPECTED" -gt 0 ] && [ "$GOT" -eq "$EXPECTED" ] && [ "$LOST" -eq 0 ]
ok $? "mutex loses nothing: expected $EXPECTED, got $GOT"

# both at once, on one CPU if taskset exists: still lost vs. exact
pin=
command -v taskset >/dev/null 2>&1 && pin="taskset -c 0"
$pin "$IPCDEMO" --json race mutex >"$TMPD/both.out" 2>/dev/null
rc=$?
sed -n 2p "$TMPD/both.out" >"$TMPD/both.json"
r=$(json_query "$TMPD/both.json" '" ".join(str(x["extra"][0] - x["extra"][1]) for x in d["summary"])')
set -- $r
[ $rc -eq 0 ] && [ "${1:-0}" -gt 0 ] && [ "${2:-1}" -eq 0 ]
ok $? "together${pin:+ on one CPU}: race lost ${1:-?}, mutex lost ${2:-?} (JSON summary)"
json_query "$TMPD/both.json" '[x["result"] for x in d["summary"]]' >"$TMPD/res"
grep -q "^expected [0-9]*, got [0-9]* (lost [1-9][0-9]* updates)$" "$TMPD/res" &&
	grep -q "^expected \([0-9]*\), got \1 (lost 0 updates)$" "$TMPD/res"
ok $? "the JSON summary carries the result lines"

# interrupted early, the result says so instead of a wrong total
"$IPCDEMO" --duration 0.001 mutex >"$TMPD/short.out" 2>&1
grep -q "mutex: interrupted\|mutex: expected" "$TMPD/short.out"
ok $? "a run cut short by --duration reports it"
exit 0
