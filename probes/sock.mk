# sock probes: sources, unit tests, live tests
probes_libprobes_a_SOURCES += \
	probes/netlink.c probes/netlink.h \
	probes/sockfd.c probes/sockfd.h \
	probes/unixdiag.c probes/unixdiag.h \
	probes/inetdiag.c probes/inetdiag.h \
	probes/procnet.c probes/procnet.h \
	probes/unix.c probes/inet.c

check_PROGRAMS += tests/check_sock tests/helpers/mk_sock
TESTS += tests/check_sock tests/live/sock.py
tests_check_sock_SOURCES = tests/check_sock.c tests/check_main.h
tests_check_sock_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_check_sock_LDADD = $(IPCTOP_LIBS) $(CHECK_LIBS)
tests_helpers_mk_sock_SOURCES = tests/helpers/mk_sock.c
EXTRA_DIST += tests/live/sock.py tests/fixtures/sock
