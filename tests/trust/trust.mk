# trust: fuzzing (make fuzz), hostile names, churn, no-root, soak (make check-extra)

# --- make fuzz: libFuzzer targets over every parser (needs clang); each runs
# FUZZ_SECONDS (default 60): make fuzz FUZZ_SECONDS=10 ---
FUZZ_TARGETS = tests/trust/fuzz_sysvipc.c tests/trust/fuzz_procnet.c \
	tests/trust/fuzz_unixdiag.c tests/trust/fuzz_inetdiag.c tests/trust/fuzz_posix.c \
	tests/trust/fuzz_procfile.c tests/trust/fuzz_maps.c tests/trust/fuzz_escape.c
fuzz: $(BUILT_SOURCES)
	$(AM_V_at)FUZZ_SRCDIR='$(abs_top_srcdir)' FUZZ_BUILDDIR='$(abs_top_builddir)' \
	FUZZ_SOURCES='$(src_libipctop_a_SOURCES) $(probes_libprobes_a_SOURCES)' \
	FUZZ_CFLAGS='$(PROC2_CFLAGS) $(JSONC_CFLAGS) $(NCURSESW_CFLAGS)' \
	FUZZ_LIBS='$(PROC2_LIBS) $(JSONC_LIBS) $(NCURSESW_LIBS) $(LIBS) -lm' \
	FUZZ_SECONDS="$${FUZZ_SECONDS:-60}" $(SHELL) $(top_srcdir)/tests/trust/fuzz.sh
EXTRA_DIST += tests/trust/fuzz.sh tests/trust/fuzz.h $(FUZZ_TARGETS) tests/trust/corpus

.PHONY: fuzz check-extra

# --- make check: hostile names, races, no root, damaged --root trees, leaks ---
check_PROGRAMS += tests/trust/mk_churn tests/trust/check_regress
tests_trust_mk_churn_SOURCES = tests/trust/mk_churn.c
tests_trust_mk_churn_LDADD = $(LIBS)
tests_trust_check_regress_SOURCES = tests/trust/check_regress.c tests/check_main.h
tests_trust_check_regress_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests
tests_trust_check_regress_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_trust_check_regress_LDADD = $(IPCTOP_LIBS) $(CHECK_LIBS)

TRUST_TESTS = tests/trust/check_regress tests/trust/hostile.py tests/trust/churn.py \
	tests/trust/noroot.py tests/trust/garbage_root.py tests/trust/valgrind.sh
TESTS += $(TRUST_TESTS)
EXTRA_DIST += tests/trust/hostile.py tests/trust/churn.py tests/trust/noroot.py \
	tests/trust/garbage_root.py tests/trust/valgrind.sh tests/trust/demo_kill.sh \
	tests/trust/limits.py tests/trust/soak.sh

# --- make check-extra: the slow ones (a 5-minute soak, limits, ipcdemo killed
# at random in every scenario). SOAK_SECONDS=3600 for the full hour. ---
TRUST_EXTRA_TESTS = tests/trust/demo_kill.sh tests/trust/limits.py tests/trust/soak.sh
check-extra: all
	$(AM_V_at)SOAK_SECONDS="$${SOAK_SECONDS:-300}"; export SOAK_SECONDS; \
	$(MAKE) $(AM_MAKEFLAGS) check TESTS='$(TRUST_EXTRA_TESTS)'
