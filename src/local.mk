# src/: the model, the scan, the output views, the screen, and main.
noinst_LIBRARIES += src/libipctop.a
src_libipctop_a_SOURCES = \
	src/model.h src/model.c src/model_ids.h src/model_ids.c \
	src/xalloc.h src/xalloc.c \
	src/ctx.h src/ctx.c \
	src/fdtable.h src/fdtable.c src/fdtable_int.h src/fdcache.c \
	src/fddump.h src/fddump.c src/fddump_rec.h \
	src/rundump.h src/rundump.c src/rundump_rec.h src/bpfiter.h src/bpfiter.c \
	src/pidfd.h src/pidfd.c \
	src/strbuf.h src/strbuf.c \
	src/escape.h src/escape.c \
	src/scan.h src/scan.c \
	src/history.h src/history.c \
	src/output.h src/output_json.c src/output_batch.c \
	src/options.h src/options.c \
	src/demo_child.h src/demo_child.c
src_libipctop_a_CFLAGS = $(AM_CFLAGS) $(PROC2_CFLAGS) $(JSONC_CFLAGS) $(NCURSESW_CFLAGS) \
	$(LIBBPF_CFLAGS)

include src/bpf.mk

include src/procs.mk
include src/view.mk
include src/ui.mk

bin_PROGRAMS += src/ipctop
src_ipctop_SOURCES = src/main.c
src_ipctop_CFLAGS = $(AM_CFLAGS) $(NCURSESW_CFLAGS)
src_ipctop_LDADD = $(IPCTOP_LIBS) $(NCURSESW_LIBS) $(JSONC_LIBS) -lm
dist_man_MANS += src/ipctop.1
