#!/bin/sh
# The mouse, over a recording of mk_pipe's processes: a click on a row
# selects it (Enter then shows that object's detail), a click on a column
# title sorts by it and a second click inverts the order, a click on a tab
# changes the view. Reports are sent as the terminal would: SGR (\e[<b;x;yM
# and m) with TERM=xterm-256color, the X10 form (\e[M...) with TERM=screen.
. "${TOP_SRCDIR:-.}/tests/screen/lib.sh"

if ! command -v tmux >/dev/null 2>&1; then
	echo "1..0 # SKIP tmux is not installed"
	exit 0
fi

start_pipe_helper
"$IPCTOP" --json -d 0.3 -n 3 -p "$pids" >"$tmp/rec"
stop_helper

hex() { printf '%s' "$1" | od -An -tx1 | tr -s ' \n' '  '; }
# click X Y (1-based cells): press and release of button 1
click() {
	if [ "$mode" = sgr ]; then
		# shellcheck disable=SC2046
		keys -H $(hex "$(printf '\033[<0;%d;%dM' "$1" "$2")")
		# shellcheck disable=SC2046
		keys -H $(hex "$(printf '\033[<0;%d;%dm' "$1" "$2")")
	else
		keys -H 1b 5b 4d 20 "$(printf '%x' $((32 + $1)))" "$(printf '%x' $((32 + $2)))"
		keys -H 1b 5b 4d 23 "$(printf '%x' $((32 + $1)))" "$(printf '%x' $((32 + $2)))"
	fi
	sleep 0.3
}
# the OBJECT cell of screen line L (1-based)
object_at() { screen_text | sed -n "$1p" | cut -c9-28 | sed 's/ *$//; s/[…~].*//'; }
title_col() { screen_text | sed -n 5p | awk -v w="$1" '{ print index($0, w) }'; }

for mode in sgr x10; do
	if [ "$mode" = sgr ]; then term=xterm-256color; else term=screen; fi
	start_screen "env LANG=C.UTF-8 TERM=$term $IPCTOP --replay $tmp/rec -d 0.3"
	if ! wait_for "^eventfd " 10; then
		notok "$mode: the recording is shown" "$(screen_text)"
		continue
	fi
	wait_for "replay 3 \(end\)" 5
	last=$((5 + $(screen_text | grep -cE '^(pipe|fifo|eventfd) ')))
	for line in "$last" 6 7; do
		want=$(object_at "$line")
		click 12 "$line"
		keys Enter
		if [ -n "$want" ] && wait_for "^ [a-z]+ .*$(printf '%s' "$want" | sed 's/[.[\*^$]/\\&/g')" 5; then
			ok "$mode: a click on row $line ($want) selects it: Enter shows its detail"
		else
			notok "$mode: a click on row $line ($want) selects it: Enter shows its detail" "$(screen_text)"
		fi
		keys Escape
		wait_for "^KIND" 5
	done

	x=$(title_col QUEUE)
	click "$((x + 1))" 5
	expect "$mode: a click on the QUEUE title sorts by it" "sort QUEUE ▲"
	if screen_text | sed -n 5p | grep -q "QUEUE▲"; then ok "$mode: the QUEUE title carries the indicator"; else notok "$mode: the QUEUE title carries the indicator" "$(screen_text | sed -n 5p)"; fi
	click "$((x + 1))" 5
	expect "$mode: a second click inverts the order" "sort QUEUE ▼"
	x=$(title_col KIND)
	click "$((x + 1))" 5
	expect "$mode: a click on KIND sorts by KIND" "sort KIND [▲▼]"
	if screen_text | sed -n 5p | grep -q "KIND[▲▼] .*QUEUE "; then ok "$mode: the indicator moves to KIND"; else notok "$mode: the indicator moves to KIND" "$(screen_text | sed -n 5p)"; fi
	click 14 4
	expect "$mode: a click on the Processes tab shows the processes" "^PID.*COMMAND"
	click 3 4
	expect "$mode: a click on the Objects tab comes back" "^KIND"
	keys q
	expect "$mode: q quits with status 0" "^EXIT=0"
done

echo "1..$n"
[ "$fails" -eq 0 ]
