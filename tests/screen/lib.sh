# Helpers for screen tests: TAP output and a tmux server on a private socket
# (-L), killed on exit. Source it; set TMUX_W/TMUX_H before start_screen.
IPCTOP=${IPCTOP:-src/ipctop}
n=0
fails=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
notok() {
	n=$((n + 1)); fails=$((fails + 1)); echo "not ok $n - $1"
	[ -n "$2" ] && printf '%s\n' "$2" | sed 's/^/# /'
}
SOCK=ipctop-test-$$
tm() { tmux -L "$SOCK" "$@"; }
tmp=$(mktemp -d)
hpid=
# start_pipe_helper: mk_pipe's processes (pipes, a FIFO, eventfds) until
# stop_helper; sets $facts (its "key=value" line), $pids (theirs, for -p).
start_pipe_helper() {
	mkfifo "$tmp/in"
	"${TOP_BUILDDIR:-.}/tests/helpers/mk_pipe" <"$tmp/in" >"$tmp/facts" &
	hpid=$!
	exec 3>"$tmp/in"
	for _ in $(seq 50); do [ -s "$tmp/facts" ] && break; sleep 0.1; done
	facts=$(cat "$tmp/facts")
	pids=$(val writer),$(val reader),$(val fifo_reader),$(val fifo_writer),$(val efd_one),$(val efd_two)
}
# val KEY: a value of the helper's facts
val() { printf '%s\n' "$facts" | tr ' ' '\n' | sed -n "s/^$1=//p"; }
stop_helper() {
	[ -n "$hpid" ] || return 0
	exec 3>&-
	kill -TERM "$hpid" 2>/dev/null
	wait "$hpid" 2>/dev/null
	hpid=
}
# tmux 3.3 leaves its socket file behind after kill-server: remove ours.
# The tmux server holds the helper's FIFO too: it ends first.
cleanup_screen() {
	tm kill-server 2>/dev/null
	rm -f "${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/$SOCK"
	stop_helper
	rm -rf "$tmp"
}
trap cleanup_screen EXIT
trap 'exit 1' INT TERM HUP

# start_screen CMD: runs CMD in a 100x30 pane, then prints EXIT=status
start_screen() {
	tm kill-server 2>/dev/null && sleep 0.3
	tm -f /dev/null new-session -d -x "${TMUX_W:-100}" -y "${TMUX_H:-30}" \
		"$1; echo EXIT=\$?; sleep 120"
}
screen_text() { tm capture-pane -p; }
# wait_for PATTERN [SECONDS]: until the pane shows it (grep -E); 0 if seen
wait_for() {
	i=0
	while [ "$i" -lt "$((${2:-10} * 10))" ]; do
		screen_text | grep -qE -- "$1" && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}
# expect DESC PATTERN [SECONDS]
expect() {
	if wait_for "$2" "${3:-10}"; then ok "$1"; else notok "$1" "$(screen_text)"; fi
}
# expect_not DESC PATTERN: the pane does not show it (checked after a pause)
expect_not() {
	sleep 0.6
	if screen_text | grep -qE -- "$2"; then notok "$1" "$(screen_text)"; else ok "$1"; fi
}
keys() { tm send-keys "$@"; }
