#!/bin/sh
# Valgrind over screen sessions: a replay of a small recording and a live
# run refreshing every 0.2s, each driven through every view and prompt (Tab,
# F5, Enter, ?, /, \, F6, the signal menu, a resize) and quit with q; valgrind
# must report no memory error and nothing definitely lost. Skipped without
# valgrind or tmux, and when ipctop is built with ASan.
. "${TOP_SRCDIR:-.}/tests/screen/lib.sh"

if ! command -v tmux >/dev/null 2>&1; then
	echo "1..0 # SKIP tmux is not installed"
	exit 0
fi
if ! command -v valgrind >/dev/null 2>&1; then
	echo "1..0 # SKIP valgrind is not installed"
	exit 0
fi
if ldd "$IPCTOP" 2>/dev/null | grep -q libasan || nm "$IPCTOP" 2>/dev/null | grep -q __asan_init; then
	echo "1..0 # SKIP ipctop is built with ASan (its own checks run instead)"
	exit 0
fi

start_pipe_helper
"$IPCTOP" --json -d 0.2 -n 3 -p "$pids" >"$tmp/rec"

vg="valgrind -q --leak-check=full --errors-for-leak-kinds=definite --error-exitcode=3"
vg="$vg --suppressions=$TOP_SRCDIR/tests/valgrind.supp"
# tour: every view, the detail, help, search, filter, the sort menu, a resize
tour() {
	keys Tab ; sleep 0.4 ; keys Tab ; sleep 0.4 ; keys Tab ; sleep 0.4 ; keys Tab
	keys F5 ; sleep 0.5 ; keys F5
	keys Down ; keys Enter ; sleep 0.5 ; keys Down ; keys Escape
	keys '?' ; sleep 0.3 ; keys x
	keys / ; keys -l pipe ; keys Enter ; keys n
	keys '\' ; keys -l fifo ; sleep 0.4 ; keys Enter ; sleep 0.4 ; keys Escape
	keys F6 ; sleep 0.3 ; keys Down ; keys Enter ; keys I ; keys '>'
	keys p ; keys Enter ; sleep 0.4 ; keys Escape ; keys o
	keys t ; sleep 0.3 ; keys Enter ; keys Escape ; keys 0
	tm resize-window -x 70 -y 20 ; sleep 0.5 ; tm resize-window -x 100 -y 30
	keys e ; sleep 0.4 ; keys o
}
# session NAME ARGS: runs ipctop ARGS under valgrind, tours, quits
session() {
	rm -f "$tmp/vg.log"
	start_screen "env LANG=C.UTF-8 $vg --log-file=$tmp/vg.log $IPCTOP $2"
	if ! wait_for "^pipe .*pipe-writer" 30; then
		notok "$1: the screen comes up under valgrind" "$(screen_text)"
		return
	fi
	tour
	[ -n "$3" ] && $3
	sleep 1
	keys q
	if wait_for "^EXIT=" 60 && screen_text | grep -q "^EXIT=0"; then
		ok "$1: no memory error, nothing definitely lost"
	else
		notok "$1: no memory error, nothing definitely lost" "$(screen_text | grep EXIT=; grep -v 'unhandled\|You may be\|README_MISSING\|Nevertheless\|bug_reports' "$tmp/vg.log" | head -60)"
	fi
}
live_actions() {
	# the signal menu, then Esc; d on a pipe (refused: not removable)
	keys Home ; keys k ; sleep 0.4 ; keys Escape ; keys d ; sleep 0.3
}

session "valgrind, replay" "--replay $tmp/rec -d 0.3"
session "valgrind, live at -d 0.2" "-d 0.2 -p $pids" live_actions

echo "1..$n"
[ "$fails" -eq 0 ]
