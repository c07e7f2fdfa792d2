#!/bin/sh
# Command-line behaviour: help, version, bad input gives a clear message and
# exit status 2, JSON is valid for every mode, NDJSON with -n/-d.
IPCTOP=${IPCTOP:-src/ipctop}
n=0
fails=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
notok() { n=$((n + 1)); fails=$((fails + 1)); echo "not ok $n - $1"; [ -n "$2" ] && printf '%s\n' "$2" | sed 's/^/# /'; }
check() { desc=$1; shift; if "$@"; then ok "$desc"; else notok "$desc"; fi; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# expect_fail DESC STATUS PATTERN ARGS... : exit status and a message on stderr
expect_fail() {
	desc=$1; want=$2; pat=$3; shift 3
	"$IPCTOP" "$@" >"$tmp/out" 2>"$tmp/err"
	st=$?
	if [ "$st" -eq "$want" ] && grep -q -- "$pat" "$tmp/err" && [ ! -s "$tmp/out" ]; then
		ok "$desc"
	else
		notok "$desc" "status $st, stderr: $(cat "$tmp/err")"
	fi
}

"$IPCTOP" --help >"$tmp/out" 2>&1
check "--help exits 0 and shows usage" test $? -eq 0 -a -n "$(grep -e '--json' "$tmp/out")"
"$IPCTOP" -V >"$tmp/out" 2>&1
check "-V prints the version" grep -q '^ipctop [0-9]' "$tmp/out"
expect_fail "unknown long option" 2 "unknown option '--frobnicate'" --frobnicate
expect_fail "unknown short option" 2 "unknown option '-Z'" -Z
expect_fail "missing option value" 2 "needs a value" -n
expect_fail "bad iteration count" 2 "invalid iteration count" -b -n zero
expect_fail "bad delay" 2 "invalid delay" -b -d -1
expect_fail "bad pid" 2 "invalid pid" -b -p 12,abc
expect_fail "bad kind" 2 "unknown kind 'sockets'" -b -t pipe,sockets
expect_fail "stray argument" 2 "unexpected argument" -b extra
expect_fail "missing root tree" 2 "cannot open root directory" -b --root /nonexistent/tree
mkdir -p "$tmp/empty"
expect_fail "root tree without /proc" 1 "cannot read" -b --root "$tmp/empty"

"$IPCTOP" --json >"$tmp/one.json" 2>"$tmp/err"
check "--json exits 0" test $? -eq 0
check "--json is one valid JSON document of schema 1" python3 -c '
import json,sys
d=json.load(open(sys.argv[1]))
assert d["schema"]==1 and d["program"]=="ipctop"
assert isinstance(d["objects"],list) and isinstance(d["processes"],list)
assert isinstance(d["hidden"]["processes"],int)
ids=[o["id"] for o in d["objects"]]
assert len(ids)==len(set(ids)), "ids unique"
for o in d["objects"]:
    for e in o["endpoints"]:
        assert e["via"] in ("fd","map","lastop","creator","waiter")
' "$tmp/one.json"

"$IPCTOP" --json -n 3 -d 0.2 >"$tmp/nd.json" 2>"$tmp/err"
check "--json -n 3 -d 0.2 prints three NDJSON lines" python3 -c '
import json,sys
lines=open(sys.argv[1]).read().splitlines()
assert len(lines)==3, len(lines)
docs=[json.loads(l) for l in lines]
assert docs[0]["time"]<docs[1]["time"]<docs[2]["time"]
' "$tmp/nd.json"

"$IPCTOP" -b -n 2 -d 0.1 -w 100 >"$tmp/b.txt" 2>"$tmp/err"
check "batch -n 2 prints two tables" test "$(grep -c '^KIND ' "$tmp/b.txt")" -eq 2
check "batch -w 100 keeps lines within 100 columns" python3 -c '
import sys
for l in open(sys.argv[1], encoding="utf-8", errors="replace").read().splitlines():
    assert len(l) <= 100, l
' "$tmp/b.txt"

"$IPCTOP" --json -d 0.1 | head -c 100 >/dev/null
check "a closed output pipe ends ipctop quietly" test $? -eq 0

# SIGTERM during a refresh loop ends it with status 0 and no partial line
"$IPCTOP" --json -d 0.1 >"$tmp/loop.json" 2>"$tmp/err" &
pid=$!
sleep 0.5
kill -TERM "$pid"
wait "$pid"
st=$?
check "SIGTERM ends a -d loop with status 0" test "$st" -eq 0
check "every NDJSON line is complete after SIGTERM" python3 -c '
import json,sys
for l in open(sys.argv[1]).read().splitlines(): json.loads(l)
' "$tmp/loop.json"

echo "1..$n"
[ "$fails" -eq 0 ]
