# the ncurses screen (owned by the screen engineer). Everything goes into
# libipctop.a (compiled with the ncursesw flags): the program links
# ncursesw, and the Check suite links only the pure formatting (rows, graph).
src_libipctop_a_SOURCES += \
	src/ui/ui.h \
	src/ui/rows.h src/ui/rows.c src/ui/rows_proc.c \
	src/ui/graph.h src/ui/graph.c \
	src/ui/screen.c src/ui/app.c src/ui/header.c \
	src/ui/objects_view.c src/ui/procs_view.c src/ui/graph_view.c \
	src/ui/detail_view.c src/ui/events_view.c src/ui/help.c \
	src/ui/prompt.c src/ui/actions.c

check_PROGRAMS += tests/check_ui
SCREEN_TESTS = tests/screen/screen.sh tests/screen/hostile.py tests/screen/sizes.sh \
	tests/screen/actions.py tests/screen/mouse.sh tests/screen/valgrind.sh
TESTS += tests/check_ui $(SCREEN_TESTS)
EXTRA_DIST += $(SCREEN_TESTS) tests/screen/lib.sh tests/screen/screenlib.py
tests_check_ui_SOURCES = tests/check_ui.c tests/check_main.h
tests_check_ui_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_check_ui_LDADD = $(IPCTOP_LIBS) $(CHECK_LIBS) -lm
