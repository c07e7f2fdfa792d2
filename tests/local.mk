# rules for tests/ (included from Makefile.am)
include tests/bench/bench.mk
include tests/trust/trust.mk
