# sysv probes: sources, unit tests, live tests
probes_libprobes_a_SOURCES += probes/sysvipc.c probes/sysvipc.h \
	probes/sysv_shm.c probes/sysv_msg.c probes/sysv_sem.c

check_PROGRAMS += tests/check_sysv tests/helpers/mk_sysv
TESTS += tests/check_sysv tests/live/sysv.py
EXTRA_DIST += tests/live/sysv.py tests/fixtures/sysv

tests_check_sysv_SOURCES = tests/check_sysv.c tests/check_main.h
tests_check_sysv_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_check_sysv_LDADD = $(IPCTOP_LIBS) $(CHECK_LIBS)

tests_helpers_mk_sysv_SOURCES = tests/helpers/mk_sysv.c
