# make bench: load generator and comparison with lsof, lsfd, ss (not part of make check)
EXTRA_PROGRAMS = tests/bench/loadgen tests/bench/floor tests/bench/refresh
tests_bench_loadgen_SOURCES = tests/bench/loadgen.c
tests_bench_loadgen_LDADD = -lrt
tests_bench_floor_SOURCES = tests/bench/floor.c
tests_bench_refresh_SOURCES = tests/bench/refresh.c
tests_bench_refresh_LDADD = $(IPCTOP_LIBS)
CLEANFILES += $(EXTRA_PROGRAMS)
EXTRA_DIST += tests/bench/run.sh

.PHONY: bench
bench: src/ipctop tests/bench/loadgen tests/bench/floor tests/bench/refresh
	$(SHELL) $(top_srcdir)/tests/bench/run.sh $(BENCH_ARGS)

# The fd-table cache must stay exact: processes change their fds between
# refreshes while others sleep; every cached refresh equals a cold snapshot.
check_PROGRAMS += tests/bench/churn tests/bench/cached_json
tests_bench_churn_SOURCES = tests/bench/churn.c
tests_bench_cached_json_SOURCES = tests/bench/cached_json.c
tests_bench_cached_json_LDADD = $(IPCTOP_LIBS)
TESTS += tests/live/churn.py
EXTRA_DIST += tests/live/churn.py
