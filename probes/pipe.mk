# pipe, fifo and eventfd probes (the core's own), with their tests
probes_libprobes_a_SOURCES += probes/pipe.c probes/eventfd.c

check_PROGRAMS += tests/check_core tests/helpers/mk_pipe
TESTS += tests/check_core tests/live/pipe.py tests/cli.sh tests/live/fixtures.py
tests_check_core_SOURCES = tests/check_core.c tests/check_main.h
tests_check_core_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_check_core_LDADD = $(IPCTOP_LIBS) $(CHECK_LIBS)
tests_helpers_mk_pipe_SOURCES = tests/helpers/mk_pipe.c
EXTRA_DIST += tests/live/ipclib.py tests/live/pipe.py tests/cli.sh tests/live/fixtures.py \
	tests/fixtures/core
