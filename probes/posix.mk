# posix probes: POSIX shm/sem (/dev/shm), POSIX mq (/dev/mqueue), shared
# mappings and memfds; their unit test, live test and fixture tree.
probes_libprobes_a_SOURCES += \
	probes/posix_parse.c probes/posix_parse.h \
	probes/posix_match.c probes/posix_match.h \
	probes/posix_shm.c probes/posix_mq.c probes/mmap.c

check_PROGRAMS += tests/check_posix tests/helpers/mk_posix
TESTS += tests/check_posix tests/live/posix.py
EXTRA_DIST += tests/live/posix.py tests/fixtures/posix

tests_check_posix_SOURCES = tests/check_posix.c tests/check_main.h
tests_check_posix_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_check_posix_LDADD = $(IPCTOP_LIBS) $(CHECK_LIBS)

tests_helpers_mk_posix_SOURCES = tests/helpers/mk_posix.c
tests_helpers_mk_posix_LDADD = $(LIBS)
