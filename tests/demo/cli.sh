#!/bin/sh
# ipcdemo's command line: --list, --explain, --is-available, --help,
# --version, and exit status 2 for every kind of usage error.
. "${TOP_SRCDIR:-$(dirname "$0")/../..}/tests/demo/lib.sh"

names=$("$IPCDEMO" --list | awk '{ print $1 }')
nnames=$(echo "$names" | wc -l)
echo "1..$((nnames + 21))"

"$IPCDEMO" --list >"$TMPD/list"
ok $? "--list exits 0"
want="pipe fifo posix-mq sysv-msg posix-shm sysv-shm mmap memfd unix-stream
unix-dgram socketpair tcp udp signal eventfd rpc direct indirect blocking
nonblocking zero-capacity bounded unbounded race mutex many-to-many"
missing=
for w in $want; do
	grep -q "^$w " "$TMPD/list" || missing="$missing $w"
done
[ -z "$missing" ] && [ "$nnames" -eq 26 ]
ok $? "--list has the 26 scenarios with a description${missing:+ (missing$missing)}"

for n in $names; do
	"$IPCDEMO" --explain "$n" >"$TMPD/ex" 2>&1 &&
		grep -q "^$n — " "$TMPD/ex" && grep -qi "ipctop" "$TMPD/ex" &&
		[ "$(wc -l <"$TMPD/ex")" -ge 6 ]
	ok $? "--explain $n says what it is and what to watch in ipctop"
done

"$IPCDEMO" --explain no-such >/dev/null 2>"$TMPD/err"
[ $? -eq 2 ] && grep -q "unknown scenario" "$TMPD/err"
ok $? "--explain of an unknown scenario exits 2"

"$IPCDEMO" --is-available pipe
ok $? "--is-available pipe exits 0"

"$IPCDEMO" --is-available no-such 2>/dev/null
[ $? -eq 2 ]
ok $? "--is-available of an unknown scenario exits 2"

all_known=0
for n in $names; do
	"$IPCDEMO" --is-available "$n" 2>/dev/null
	rc=$?
	[ $rc -eq 0 ] || [ $rc -eq 1 ] || all_known=1
done
ok $all_known "--is-available answers 0 or 1 for every scenario"

"$IPCDEMO" --help | grep -q -- "--duration"
ok $? "--help exits 0 and lists the options"

"$IPCDEMO" --version | grep -q "ipcdemo.*[0-9]\.[0-9]"
ok $? "--version prints the version"

usage() {	# usage DESCRIPTION ARGS...: must exit 2 with a message, at once
	d=$1
	shift
	timeout 10 "$IPCDEMO" "$@" >/dev/null 2>"$TMPD/err"
	rc=$?
	[ $rc -eq 2 ] && [ -s "$TMPD/err" ]
	ok $? "$d exits 2 with a message (got $rc)"
}
usage "an unknown option" --bogus pipe
usage "an unknown scenario" no-such-scenario
usage "no scenario" --rate 3
usage "a rate that is not a number" --rate abc pipe
usage "a rate of 0" --rate 0 pipe
usage "a size too small" --size 1 pipe
usage "a size too big" --size 99999999 pipe
usage "a negative duration" --duration -1 pipe
usage "a scenario given twice" pipe pipe
usage "all with another scenario" all pipe

# a scenario the system cannot run is skipped with a message, not a crash
IPCDEMO_DISABLE=posix-mq "$IPCDEMO" --is-available posix-mq 2>"$TMPD/err"
[ $? -eq 1 ] && grep -q "posix-mq is not available: " "$TMPD/err"
ok $? "--is-available of an unavailable scenario exits 1 with the reason"
IPCDEMO_DISABLE=posix-mq,sysv-msg timeout 20 "$IPCDEMO" --json --duration 1 \
	posix-mq pipe sysv-msg >"$TMPD/skip.out" 2>"$TMPD/err"
rc=$?
head -n 1 "$TMPD/skip.out" >"$TMPD/skip.json"
[ $rc -eq 0 ] && grep -q "^ipcdemo: skipping posix-mq: " "$TMPD/err" &&
	[ "$(json_query "$TMPD/skip.json" '" ".join(x["name"] for x in d["skipped"]) + "/" + " ".join(x["name"] for x in d["scenarios"])')" = "posix-mq sysv-msg/pipe" ]
ok $? "unavailable scenarios are skipped with a message, the others run (exit $rc)"
IPCDEMO_DISABLE=posix-mq timeout 20 "$IPCDEMO" posix-mq >/dev/null 2>"$TMPD/err"
[ $? -eq 1 ] && grep -q "no scenario can run" "$TMPD/err"
ok $? "when nothing can run, ipcdemo says so and exits 1"
