#!/bin/sh
# The screen through tmux: a recording of known processes (mk_pipe) replayed
# for determinism, then the live --demo. Asserts what a user sees: header,
# rows with both ends, help, search, filter, sort, graph, detail, resizes,
# the too-small message, and a clean exit (status 0, terminal restored) on q
# and on SIGTERM.
. "${TOP_SRCDIR:-.}/tests/screen/lib.sh"

if ! command -v tmux >/dev/null 2>&1; then
	echo "1..0 # SKIP tmux is not installed"
	exit 0
fi

# --- a recording of mk_pipe's processes ----------------------------------
start_pipe_helper
"$IPCTOP" --json -d 0.3 -n 4 -p "$pids" >"$tmp/rec"
stop_helper
if [ "$(wc -l <"$tmp/rec")" -eq 4 ] && grep -q pipe-writer "$tmp/rec"; then
	ok "recorded 4 snapshots of the helper's processes"
else
	notok "recorded 4 snapshots of the helper's processes" "$(head -c 300 "$tmp/rec")"
fi

replay="env LANG=C.UTF-8 $IPCTOP --replay $tmp/rec -d 0.3"
start_screen "$replay"
expect "header names the program and counts objects" "^ipctop .* objects .* processes"
expect "header counts kinds" "^Kinds: .*pipe [0-9]+ fifo 1 eventfd 1"
expect "a pipe row names both ends" "^pipe .*pipe-writer → .*pipe-reader"
expect "a FIFO row names both ends" "^fifo .*fifo-writer → .*fifo-reader"
expect "the function key bar is shown" "F1Help.*F10Quit"
expect "the end of the recording is shown" "replay 4 \(end\)"

keys F1
expect "F1 shows the help screen" "ipctop help"
keys x
expect_not "any key closes the help" "ipctop help"
keys '?'
expect "? shows the help screen" "F9 k .*signal"
keys Escape

keys / ; keys -l fifo-reader ; keys Enter
keys Enter
expect "search selects the match; Enter shows its detail" "^ fifo .*/fifo"
expect "the detail lists endpoints with pid, fd and mode" "fifo-reader +fd +[0-9]+ +r +reader"
expect "the detail has kind facts" "queue +10 bytes"
keys Escape
expect "Esc goes back to the objects" "^KIND"

keys '\' ; keys -l efd ; keys Enter
expect "the filter is shown in the tab line" 'filter "efd"'
expect "the filter keeps matching rows" "^eventfd .*efd-"
expect_not "the filter hides the rest" "^pipe .*pipe-writer"
keys Escape
expect "Esc clears the filter" "^pipe .*pipe-writer"

keys '>'
expect "> sorts by the next column" "sort OBJECT"
keys '<'
expect "< sorts by the previous column" "sort KIND"
keys 1
expect_not "1 hides pipes" "^pipe "
keys 1

keys F5
expect "F5 shows the graph with process boxes" "│ pipe-writer │"
expect "the graph has both ends of the pipe" "│ pipe-reader │"
expect "the graph labels the edge" "─pipe─+▶|◀─pipe─"
keys Tab
expect "Tab goes on to the events view" "TIME +EVENT"
keys o

keys Home ; keys Enter
expect "Enter on the first row shows its detail" "^ pipe pipe:[0-9]+"
keys Escape

tm resize-window -x 80 -y 24
expect "at 80x24 the rows are still there" "^pipe .*pipe-writer"
tm resize-window -x 40 -y 10
expect "below the minimum a message, not garbage" "Terminal too small \(40x10\)"
tm resize-window -x 100 -y 30
expect "back at 100x30 the rows return" "^pipe .*pipe-writer"

keys q
expect "q quits with status 0" "^EXIT=0"
expect_not "q leaves no curses screen behind" "F1Help|^Kinds:"

# --- SIGTERM restores the terminal too ------------------------------------
start_screen "$replay"
wait_for "F10Quit" 10
sh_pid=$(tm display -p '#{pane_pid}')
top_pid=$([ -n "$sh_pid" ] && pgrep -P "$sh_pid" ipctop | head -n 1)
[ -n "$top_pid" ] && kill -TERM "$top_pid"
expect "SIGTERM ends the screen cleanly" "^EXIT=0"
expect_not "SIGTERM leaves no curses screen behind" "F1Help|^Kinds:"

# --- ASCII when the locale is not UTF-8; no colour with NO_COLOR ----------
start_screen "env LANG=C LC_ALL=C NO_COLOR=1 $IPCTOP --replay $tmp/rec -d 0.3"
expect "in the C locale arrows are ASCII" "^pipe .*pipe-writer -> .*pipe-reader"
keys F5
expect "in the C locale the graph is drawn in ASCII" "\| pipe-writer \|"
if tm capture-pane -p -e | grep -q "$(printf '\033')\[3[0-7]m\|;3[0-7]m"; then
	notok "NO_COLOR: no colours on screen" "$(tm capture-pane -p -e | head -5 | od -c | head)"
else
	ok "NO_COLOR: no colours on screen"
fi
keys q
expect "q quits the ASCII screen with status 0" "^EXIT=0"

# --- live: ipctop --demo shows ipcdemo's processes and stops them on q -----
start_screen "env LANG=C.UTF-8 $IPCTOP --demo -d 1"
expect "--demo shows ipcdemo's processes at both ends" "pipe-writer → .*pipe-reader" 20
expect "--demo shows message queues" "^mq .*producer" 10
demo=$(screen_text | sed -n 's/.*ipcdemo \([0-9]*\) only.*/\1/p' | head -n 1)
# the processes table is made when shown: on p, and again at each refresh
keys p
expect "p shows the processes table" "^PID.*COMMAND"
expect "the processes table lists the pipe's writer" "^ *[0-9]+ +pipe-writer "
sleep 2.5
expect "the processes table is kept across refreshes" "^ *[0-9]+ +pipe-writer "
keys o
expect "o goes back to the objects" "^KIND"
keys q
expect "--demo: q quits with status 0" "^EXIT=0" 15
sleep 0.5
if [ -n "$demo" ] && ! kill -0 "$demo" 2>/dev/null && ! pgrep -P "$demo" >/dev/null; then
	ok "--demo: ipcdemo ($demo) and its children are gone after q"
else
	notok "--demo: ipcdemo ($demo) and its children are gone after q" "$([ -n "$demo" ] && pgrep -a -P "$demo")"
fi

echo "1..$n"
[ "$fails" -eq 0 ]
