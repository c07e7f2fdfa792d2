# view model: replay of NDJSON recordings, events log, per-object series (owned by the view engineer)
src_libipctop_a_SOURCES += \
	src/replay.h src/replay.c src/replay_parse.c \
	src/events.h src/events.c \
	src/series.h src/series.c

check_PROGRAMS += tests/check_view
TESTS += tests/check_view tests/live/replay.py
EXTRA_DIST += tests/live/replay.py
tests_check_view_SOURCES = tests/check_view.c tests/check_main.h
tests_check_view_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_check_view_LDADD = $(IPCTOP_LIBS) $(CHECK_LIBS) -lm
