# probes/: one collector per mechanism behind probes/probe.h, in libprobes.a.
# Each area keeps its sources and tests in its own fragment.
noinst_LIBRARIES += probes/libprobes.a
probes_libprobes_a_SOURCES = probes/probe.h probes/registry.c

# Libraries every program and test linking libipctop.a + libprobes.a needs.
IPCTOP_LIBS = src/libipctop.a probes/libprobes.a src/libipctop.a $(PROC2_LIBS) $(JSONC_LIBS) \
	$(LIBBPF_LIBS) $(LIBS)

include probes/pipe.mk
include probes/sock.mk
include probes/sysv.mk
include probes/posix.mk
