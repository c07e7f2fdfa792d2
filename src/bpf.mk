# The fd dump's BPF program (src/fddump.bpf.c): compiled for the BPF target
# with BTF (-g, for CO-RE), then embedded into src/fddump.c by bpftool's
# skeleton header. Built only when configure found clang, bpftool, libbpf.
TESTS += tests/live/fddump.py
EXTRA_DIST += src/fddump.bpf.c tests/valgrind.supp tests/live/fddump.py

if HAVE_BPF
BUILT_SOURCES += src/fddump.skel.h
CLEANFILES += src/fddump.bpf.o src/fddump.skel.h

src/fddump.bpf.o: $(top_srcdir)/src/fddump.bpf.c $(top_srcdir)/src/fddump_rec.h
	$(AM_V_GEN)$(MKDIR_P) src && \
	$(CLANG) -g -O2 -Wall -Werror -target bpf -I$(top_srcdir)/src \
		-c $(top_srcdir)/src/fddump.bpf.c -o $@

src/fddump.skel.h: src/fddump.bpf.o
	$(AM_V_GEN)$(BPFTOOL) gen skeleton src/fddump.bpf.o name fddump_bpf > $@.tmp && mv $@.tmp $@
endif
