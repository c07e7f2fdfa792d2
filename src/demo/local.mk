# rules for src/demo/ (included from Makefile.am): ipcdemo, its man page and
# its tests (tests/demo/).
bin_PROGRAMS += src/demo/ipcdemo
src_demo_ipcdemo_SOURCES = \
	src/demo/demo.h \
	src/demo/main.c \
	src/demo/supervise.c \
	src/demo/registry.c \
	src/demo/cleanup.c \
	src/demo/util.c \
	src/demo/naming.c \
	src/demo/stream.c \
	src/demo/avail.c \
	src/demo/pipe.c \
	src/demo/fifo.c \
	src/demo/posix_mq.c \
	src/demo/sysv_msg.c \
	src/demo/posix_shm.c \
	src/demo/sysv_shm.c \
	src/demo/mmap.c \
	src/demo/memfd.c \
	src/demo/unix_sock.c \
	src/demo/inet.c \
	src/demo/signal.c \
	src/demo/eventfd.c \
	src/demo/rpc.c \
	src/demo/concepts.c \
	src/demo/blocking.c \
	src/demo/buffering.c \
	src/demo/race.c
src_demo_ipcdemo_LDADD = $(LIBS)
dist_man_MANS += src/demo/ipcdemo.1

IPCDEMO_TESTS = \
	tests/demo/cli.sh \
	tests/demo/scenarios.sh \
	tests/demo/cleanup.sh \
	tests/demo/race.sh \
	tests/demo/concurrent.sh
TESTS += $(IPCDEMO_TESTS)
EXTRA_DIST += $(IPCDEMO_TESTS) tests/demo/lib.sh
