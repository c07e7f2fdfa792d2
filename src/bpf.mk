# The BPF programs (src/fddump.bpf.c, src/rundump.bpf.c): compiled for the
# BPF target with BTF (-g, for CO-RE), then embedded into src/fddump.c and
# src/rundump.c by bpftool's skeleton headers. Built only when configure
# found clang, bpftool and libbpf.
TESTS += tests/live/fddump.py
EXTRA_DIST += src/fddump.bpf.c src/rundump.bpf.c src/bpf_types.h tests/valgrind.supp \
	tests/live/fddump.py

if HAVE_BPF
BUILT_SOURCES += src/ipctop.skel.h src/fddump.lskel.h src/ipctop.lskel.h
CLEANFILES += src/fddump.bpf.o src/rundump.bpf.o src/ipctop.bpf.o src/ipctop.skel.h \
	src/fddump.lskel.h src/ipctop.lskel.h

BPF_CC = $(AM_V_GEN)$(MKDIR_P) src && \
	$(CLANG) -g -O2 -Wall -Werror -target bpf -I$(top_srcdir)/src -c

src/fddump.bpf.o: $(top_srcdir)/src/fddump.bpf.c $(top_srcdir)/src/fddump_rec.h \
		$(top_srcdir)/src/bpf_types.h
	$(BPF_CC) $(top_srcdir)/src/fddump.bpf.c -o $@
src/rundump.bpf.o: $(top_srcdir)/src/rundump.bpf.c $(top_srcdir)/src/rundump_rec.h \
		$(top_srcdir)/src/bpf_types.h
	$(BPF_CC) $(top_srcdir)/src/rundump.bpf.c -o $@

src/ipctop.bpf.o: src/fddump.bpf.o src/rundump.bpf.o
	$(AM_V_GEN)$(BPFTOOL) gen object $@ src/fddump.bpf.o src/rundump.bpf.o
src/ipctop.skel.h: src/ipctop.bpf.o
	$(AM_V_GEN)$(BPFTOOL) gen skeleton src/ipctop.bpf.o name ipctop_bpf > $@.tmp && mv $@.tmp $@
# Light skeletons of the same: a loader program does the relocations in the
# kernel, against the BTF it already has, so libbpf need not read and parse
# the kernel's (5 MB, 14 MB of memory) here: the fd dump alone, for a single
# snapshot (5 ms to load instead of 20), and both, for a session. libbpf's
# skeleton above stays the fallback (older kernels refuse the loader).
src/fddump.lskel.h: src/fddump.bpf.o
	$(AM_V_GEN)$(BPFTOOL) gen skeleton -L src/fddump.bpf.o name fddump_lbpf > $@.tmp && \
		mv $@.tmp $@
src/ipctop.lskel.h: src/ipctop.bpf.o
	$(AM_V_GEN)$(BPFTOOL) gen skeleton -L src/ipctop.bpf.o name ipctop_lbpf > $@.tmp && \
		mv $@.tmp $@
endif
