#!/bin/sh
# make fuzz: builds every tests/trust/fuzz_*.c with clang's libFuzzer, ASan
# and UBSan against the project's own sources, then runs each target for
# FUZZ_SECONDS (default 60) from its seed corpus tests/trust/corpus/<target>/.
# Called from tests/trust/trust.mk, which passes the build's variables:
#   FUZZ_SRCDIR FUZZ_BUILDDIR FUZZ_SOURCES (lib sources) FUZZ_CFLAGS FUZZ_LIBS
# Crashes are left as FUZZ_BUILDDIR/tests/trust/fuzz/crash-<target>-*; each
# one found should become a case of tests/trust/check_regress.c.
set -u
: "${FUZZ_SECONDS:=60}"
: "${FUZZ_CC:=clang}"
src=$FUZZ_SRCDIR
out=$FUZZ_BUILDDIR/tests/trust/fuzz
if ! command -v "$FUZZ_CC" >/dev/null 2>&1; then
	echo "make fuzz: $FUZZ_CC not found; install it (Debian: apt-get install clang)" >&2
	exit 1
fi
mkdir -p "$out/obj" || exit 1
san="-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer"
cflags="-std=gnu11 -g -O1 -w $san -I$FUZZ_BUILDDIR -I$src/src -I$src/probes -I$src/tests/trust $FUZZ_CFLAGS"

echo "fuzz: compiling the parser sources with $FUZZ_CC"
objs=""
for f in $FUZZ_SOURCES; do
	case $f in *.c) ;; *) continue ;; esac
	o=$out/obj/$(echo "$f" | tr / _ | sed 's/\.c$/.o/')
	# shellcheck disable=SC2086
	"$FUZZ_CC" $cflags -fsanitize=fuzzer-no-link -c "$src/$f" -o "$o" || exit 1
	objs="$objs $o"
done
rm -f "$out/libfuzz.a"
# shellcheck disable=SC2086
ar rc "$out/libfuzz.a" $objs || exit 1

status=0
summary=""
for t in "$src"/tests/trust/fuzz_*.c; do
	name=$(basename "$t" .c)
	target=${name#fuzz_}
	# shellcheck disable=SC2086
	"$FUZZ_CC" $cflags -fsanitize=fuzzer "$t" "$out/libfuzz.a" $FUZZ_LIBS -o "$out/$name" ||
		exit 1
	# fresh inputs go to the build's corpus; the seeds in the source tree stay as they are
	mkdir -p "$out/corpus/$target"
	seeds=$src/tests/trust/corpus/$target
	[ -d "$seeds" ] || seeds=""
	echo "fuzz: $name for ${FUZZ_SECONDS}s"
	# shellcheck disable=SC2086
	"$out/$name" -max_total_time="$FUZZ_SECONDS" -print_final_stats=1 -max_len=4096 \
		-artifact_prefix="$out/crash-$target-" -close_fd_mask=1 \
		"$out/corpus/$target" $seeds >"$out/$name.log" 2>&1
	rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$out/$name.log")
	cov=$(grep -o 'cov: [0-9]*' "$out/$name.log" | tail -1)
	if [ $rc -ne 0 ]; then
		status=1
		summary="$summary
  $name: CRASH after ${execs:-?} runs ($cov): see $out/$name.log, $(ls "$out"/crash-"$target"-* 2>/dev/null | head -1)"
		grep -E '^(==[0-9]+==ERROR|SUMMARY|.*runtime error)' "$out/$name.log" | head -5
	else
		summary="$summary
  $name: ${execs:-?} runs in ${FUZZ_SECONDS}s, no crash ($cov)"
	fi
done
echo "fuzz summary:$summary"
exit $status
