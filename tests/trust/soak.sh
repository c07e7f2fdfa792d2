#!/bin/sh
# Soak: ipctop --json at its fastest refresh (-d 0.05) for SOAK_SECONDS
# (default 3600; `make check-extra` runs 300) over a churning load (mk_churn:
# pipes, sockets, SysV and POSIX objects, short-lived processes). Passes when
# ipctop is still running at the end with nothing on stderr, its RSS at the
# end is within 10 % of its RSS after the first minute (a fifth of the run
# when shorter than 5 minutes), each the lowest of 20 readings (rss_low), and once the churn stops its last document
# holds the same number of objects as a fresh `ipctop --json`.
n=0
fail=0
ok() { n=$((n + 1)); if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fail=1; fi; }
IPCTOP=${IPCTOP:-src/ipctop}
CHURN=${TOP_BUILDDIR:-.}/tests/trust/mk_churn
PYTHON=${PYTHON3:-python3}
SOAK_SECONDS=${SOAK_SECONDS:-3600}
first=60
[ "$SOAK_SECONDS" -lt 300 ] && first=$((SOAK_SECONDS / 5))
tmp=$(mktemp -d /tmp/ipctop-soak.XXXXXX) || exit 1
ipid= cpid= rpid=
cleanup() {
	for p in $ipid $rpid; do kill -TERM "$p" 2>/dev/null; done
	[ -n "$cpid" ] && kill -TERM "$cpid" 2>/dev/null
	wait 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

rss() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status" 2>/dev/null; }
# The lowest of 20 readings over about 2 s: one reading taken while a
# refresh runs also counts its threads' stacks and arenas and its output
# buffer (measured at -d 0.05: 300 readings ranged 4.5 to 5.3 MB with no
# growth), which one reading at each end mistook for growth. A leak raises
# the lowest reading as well.
rss_low() {
	low=
	for _ in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
		v=$(rss "$1")
		[ -n "$v" ] && { [ -z "$low" ] || [ "$v" -lt "$low" ]; } && low=$v
		sleep 0.1
	done
	echo "$low"
}

# the churn: its log of holds is not needed here
"$CHURN" /dev/null </dev/zero >/dev/null 2>"$tmp/churn.err" &
cpid=$!
# keeps the last complete document and counts them
mkfifo "$tmp/out"
# (and the object counts, current and highest, in $tmp/objs: RSS follows
# the highest, so a load that peaks meanwhile explains growth)
"$PYTHON" -c '
import sys
n, last, top = 0, b"", 0
for line in sys.stdin.buffer:
    if line.endswith(b"\n"):
        n, last = n + 1, line
        c = line.count(b"\"kind\":")
        top = max(top, c)
        open(sys.argv[2], "w").write("%d objects (highest %d)" % (c, top))
open(sys.argv[1], "wb").write(last)
print(n)
' "$tmp/last" "$tmp/objs" <"$tmp/out" >"$tmp/count" &
rpid=$!
"$IPCTOP" --json -d 0.05 >"$tmp/out" 2>"$tmp/err" &
ipid=$!

echo "# soak: ${SOAK_SECONDS}s, RSS after ${first}s compared with RSS at the end"
sleep "$first"
rss1=$(rss_low $ipid)
echo "# RSS after ${first}s (lowest of 20 readings): ${rss1:-?} kB, $(cat "$tmp/objs" 2>/dev/null)"
elapsed=$first
while [ "$elapsed" -lt "$SOAK_SECONDS" ]; do
	step=60
	[ $((SOAK_SECONDS - elapsed)) -lt $step ] && step=$((SOAK_SECONDS - elapsed))
	sleep "$step"
	elapsed=$((elapsed + step))
	kill -0 "$ipid" 2>/dev/null || break
	echo "# ${elapsed}s: RSS $(rss $ipid) kB, $(cat "$tmp/objs" 2>/dev/null)"
done
rss2=$(rss_low $ipid)
echo "# RSS at the end (lowest of 20 readings): ${rss2:-?} kB"
kill -0 "$ipid" 2>/dev/null
ok $? "ipctop still runs after ${SOAK_SECONDS}s at -d 0.05 over churn"

# stop the churn; let ipctop refresh over the quiet system, then stop it
echo "# $(date +%T) stopping"
kill -TERM "$cpid"
wait "$cpid"
cpid=
sleep 2
kill -INT "$ipid" 2>/dev/null
wait "$ipid"
irc=$?
ipid=
wait "$rpid"
rpid=
"$IPCTOP" --json >"$tmp/fresh"
# objects in one document only are explained when a process at one of their
# ends is not in the other (it started or ended in between: the ipctop runs
# themselves, other users of a shared machine)
compare=$("$PYTHON" -c '
import json, sys
try:
    a = json.load(open(sys.argv[1]))
except ValueError:
    print("? 0 no-last-document"); sys.exit()
b = json.load(open(sys.argv[2]))
pa, pb = {p["pid"] for p in a["processes"]}, {p["pid"] for p in b["processes"]}
oa, ob = {o["id"]: o for o in a["objects"]}, {o["id"]: o for o in b["objects"]}
def explained(o):
    return any(e["pid"] not in pa or e["pid"] not in pb for e in o.get("endpoints", []))
odd = [i for i in set(oa) ^ set(ob) if not explained(oa.get(i) or ob.get(i))]
print(len(oa), len(ob), len(odd), " ".join(sorted(odd)[:10]))
' "$tmp/last" "$tmp/fresh")
set -- $compare
last=$1 fresh=$2 odd=$3
docs=$(cat "$tmp/count")
echo "# $docs documents; churn: $(cat "$tmp/churn.err")"

{ [ "$irc" -eq 0 ] || [ "$irc" -eq 130 ]; } && [ ! -s "$tmp/err" ]
ok $? "ipctop stops cleanly (exit $irc) and said nothing on stderr"
[ -s "$tmp/err" ] && sed 's/^/# /' "$tmp/err" | head -20
[ -n "$rss1" ] && [ -n "$rss2" ] && [ "$rss2" -le $((rss1 + rss1 / 10)) ]
ok $? "memory flat: RSS ${rss1:-?} kB after ${first}s, ${rss2:-?} kB at the end (within 10 %)"
[ "$last" = "$fresh" ] || [ "$odd" = 0 ]
ok $? "its last document has the objects of a fresh ipctop --json ($last and $fresh; unexplained: $odd${4:+: $4})"
echo "1..$n"
exit $fail
