# the ncurses screen (owned by the screen engineer). Everything goes into
# libipctop.a (compiled with the ncursesw flags): the program links
# ncursesw, and the Check suite links only the pure formatting (rows, graph).
src_libipctop_a_SOURCES += \
	src/ui/ui.h \
	src/ui/rows.h src/ui/rows.c \
	src/ui/graph.h src/ui/graph.c \
	src/ui/screen.c src/ui/app.c src/ui/header.c \
	src/ui/objects_view.c src/ui/procs_view.c src/ui/graph_view.c \
	src/ui/detail_view.c src/ui/events_view.c src/ui/help.c \
	src/ui/prompt.c src/ui/actions.c

check_PROGRAMS += tests/check_ui
TESTS += tests/check_ui tests/screen/screen.sh
EXTRA_DIST += tests/screen/screen.sh tests/screen/lib.sh
tests_check_ui_SOURCES = tests/check_ui.c tests/check_main.h
tests_check_ui_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_check_ui_LDADD = $(IPCTOP_LIBS) $(CHECK_LIBS) -lm
