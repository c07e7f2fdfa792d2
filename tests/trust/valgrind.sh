#!/bin/sh
# Leaks: valgrind over one JSON run and a two-refresh batch run reports
# nothing definitely lost and no memory error. Skipped when valgrind is not
# installed, or when ipctop is built with ASan (--enable-sanitizers), which
# checks the same and cannot run under valgrind.
n=0
fail=0
ok() { n=$((n + 1)); if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fail=1; fi; }
skip() { n=$((n + 1)); echo "ok $n - $1 # SKIP $2"; }
IPCTOP=${IPCTOP:-src/ipctop}
tmp=$(mktemp -d /tmp/ipctop-valgrind.XXXXXX) || exit 1
trap 'rm -rf "$tmp"' EXIT

if ! command -v valgrind >/dev/null 2>&1; then
	skip "valgrind: ipctop --json" "valgrind is not installed"
	skip "valgrind: ipctop -b -n 2 -d 0.2" "valgrind is not installed"
elif ldd "$IPCTOP" 2>/dev/null | grep -q libasan; then
	skip "valgrind: ipctop --json" "ipctop is built with ASan (its own leak check runs instead)"
	skip "valgrind: ipctop -b -n 2 -d 0.2" "ipctop is built with ASan"
else
	for args in "--json" "-b -n 2 -d 0.2"; do
		# shellcheck disable=SC2086
		valgrind -q --error-exitcode=3 --leak-check=full --errors-for-leak-kinds=definite \
			--suppressions="$TOP_SRCDIR/tests/valgrind.supp" \
			--log-file="$tmp/vg.log" "$IPCTOP" $args >"$tmp/out" 2>"$tmp/err"
		rc=$?
		[ "$rc" -eq 0 ] && [ -s "$tmp/out" ]
		ok $? "valgrind: ipctop $args: no error, nothing definitely lost (exit $rc)"
		# its reports (not the warnings about syscalls it does not know)
		grep '^==' "$tmp/vg.log" | sed 's/^/# /' | head -60
	done
fi
echo "1..$n"
exit $fail
