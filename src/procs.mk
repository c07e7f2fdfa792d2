# Process facts (libproc2 live, a text reader for fixture trees), signal
# names and sets, blocked-on analysis; included from src/local.mk.
src_libipctop_a_SOURCES += \
	src/procs.h src/procs.c src/procs_fixture.c \
	src/signals.h src/signals.c \
	src/blocked.h src/blocked.c

check_PROGRAMS += tests/check_procs tests/helpers/mk_blocked
TESTS += tests/check_procs tests/live/procs.py
EXTRA_DIST += tests/live/procs.py tests/fixtures/procs

tests_check_procs_SOURCES = tests/check_procs.c tests/check_main.h
tests_check_procs_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_check_procs_LDADD = $(IPCTOP_LIBS) $(CHECK_LIBS)

tests_helpers_mk_blocked_SOURCES = tests/helpers/mk_blocked.c
tests_helpers_mk_blocked_LDADD = $(LIBS)
