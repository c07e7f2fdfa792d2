#!/bin/sh
# Terminal sizes, live over mk_pipe's processes: at 20x10 only the
# too-small message (no other character on the screen) and q still quits;
# at 400x120 the screen fills it (rows, key bar on the last line); a resize
# storm (refreshing every 0.1s, sizes from 20x10 to 400x120, views and a
# menu open meanwhile) neither crashes nor leaves a stale or garbled screen.
. "${TOP_SRCDIR:-.}/tests/screen/lib.sh"

if ! command -v tmux >/dev/null 2>&1; then
	echo "1..0 # SKIP tmux is not installed"
	exit 0
fi

start_pipe_helper
top="env LANG=C.UTF-8 $IPCTOP -p $pids"

# nothing but the message: its two lines, centred; every other line blank
only_message() {
	t=$(screen_text)
	printf '%s\n' "$t" | grep -q "Terminal too small" &&
		[ "$(printf '%s\n' "$t" | grep -c '[^ ]')" -eq 2 ]
}
# the pane's own size, and the screen drawn for it: header on the first
# line, key bar on the last, pipe rows
screen_ok() { # W H
	t=$(screen_text)
	[ "$(printf '%s\n' "$t" | wc -l)" -eq "$2" ] &&
		printf '%s\n' "$t" | head -n 1 | grep -q "^ipctop " &&
		printf '%s\n' "$t" | sed -n "$2p" | grep -q "F10Quit" &&
		printf '%s\n' "$t" | grep -q "^pipe .*pipe-writer → .*pipe-reader"
}

# --- 20x10 ------------------------------------------------------------------
TMUX_W=20 TMUX_H=10 start_screen "$top -d 0.5"
expect "at 20x10 the too-small message is shown" "^ *Terminal too small"
sleep 1.2
if only_message; then
	ok "at 20x10 nothing else is on the screen, after refreshes too"
else
	notok "at 20x10 nothing else is on the screen, after refreshes too" "$(screen_text | cat -A)"
fi
keys Tab ; keys F5 ; keys Enter ; keys '?' ; keys x
if only_message; then ok "keys at 20x10 draw nothing over it"; else notok "keys at 20x10 draw nothing over it" "$(screen_text)"; fi
keys q
expect "q quits from the too-small screen with status 0" "^EXIT=0"

# --- 400x120 ----------------------------------------------------------------
TMUX_W=400 TMUX_H=120 start_screen "$top -d 0.5"
expect "at 400x120 the pipe row names both ends" "^pipe .*pipe-writer → .*pipe-reader"
if screen_ok 400 120; then ok "at 400x120 header on top, key bar on line 120"; else notok "at 400x120 header on top, key bar on line 120" "$(screen_text | head -12)"; fi
keys F5
expect "at 400x120 the graph is drawn" "│ pipe-writer │"
keys Tab ; keys Tab ; keys Enter
expect "at 400x120 the detail is drawn" "^ pipe pipe:[0-9]+"
keys q
expect "q quits the 400x120 screen with status 0" "^EXIT=0"

# --- a resize storm at -d 0.1 ---------------------------------------------
start_screen "$top -d 0.1"
expect "the storm's screen starts" "^pipe .*pipe-writer"
i=0
for size in 20x10 400x120 80x24 60x12 59x11 200x50 30x100 300x15 61x13 20x10 \
	150x40 60x12 400x120 45x20 120x8 100x30 20x10 400x120 70x25 60x12; do
	i=$((i + 1))
	tm resize-window -x "${size%x*}" -y "${size#*x}"
	case $((i % 5)) in
	0) keys F5 ;;
	1) keys Tab ;;
	2) keys Enter ;;
	3) keys F6 ;; # a menu open while the size changes
	4) keys Escape ;;
	esac
	sleep 0.15
done
keys Escape ; keys Escape ; keys o
tm resize-window -x 100 -y 30
sleep 0.6
if screen_text | grep -q "^EXIT="; then
	notok "ipctop survives 20 resizes while refreshing every 0.1s" "$(screen_text)"
else
	ok "ipctop survives 20 resizes while refreshing every 0.1s"
fi
for _ in $(seq 30); do screen_ok 100 30 && break; sleep 0.1; done
if screen_ok 100 30; then ok "after the storm the 100x30 screen is whole"; else notok "after the storm the 100x30 screen is whole" "$(screen_text)"; fi
if screen_text | grep -q "Terminal too small"; then
	notok "no too-small message is left over" "$(screen_text)"
else
	ok "no too-small message is left over"
fi
keys q
expect "q after the storm quits with status 0" "^EXIT=0"

echo "1..$n"
[ "$fails" -eq 0 ]
