#!/bin/sh
# make bench: builds P processes with about F fds each (tests/bench/loadgen)
# at three sizes and times, side by side, a cold snapshot of ipctop
# (`ipctop --json -n 1`), lsof +E, lsfd, ss -xanp and the bare readlink loop
# (tests/bench/floor), several runs each; then ipctop's steady refresh
# (tests/bench/refresh) and, at the largest size, the CPU use of its refresh
# loop in-process and of the real screen (ipctop in a tmux of its own, its
# /proc/PID/stat CPU times after the first 6 s). Prints a table of medians
# and the ratios the performance goals are stated in.
#
#   run.sh [-r RUNS] [-c CPU_SECONDS] [SIZES...]     SIZES as P:F, default
#                                                     50:20 200:50 500:60
# Run from the build directory (make bench does). Leaves nothing behind:
# every load generator is ended on every exit path and removes its objects.
set -eu

runs=5
cpu_seconds=30
while [ $# -gt 0 ]; do
	case "$1" in
	-r) runs=$2; shift 2 ;;
	-c) cpu_seconds=$2; shift 2 ;;
	*) break ;;
	esac
done
[ $# -gt 0 ] || set -- 50:20 200:50 500:60

build=$(pwd)
tmp=$(mktemp -d /tmp/ipctop-bench.XXXXXX)
lg_pid=

tmux_sock=ipctop-bench-$$
screen_pid=
# CPU of the screen (default interval, 200x50) over $cpu_seconds s after its
# first 6 s (the first refresh, everything read and the BPF programs loaded,
# is the start-up's): "cpu_pct=X" of one core
screen_cpu() {
	command -v tmux >/dev/null 2>&1 || { echo "cpu_pct=nan"; return; }
	tmux -L "$tmux_sock" -f /dev/null new-session -d -x 200 -y 50 "exec $build/src/ipctop"
	sleep 6
	screen_pid=$(tmux -L "$tmux_sock" list-panes -F '#{pane_pid}' 2>/dev/null || :)
	t1=$(cut -d' ' -f14,15 "/proc/$screen_pid/stat" 2>/dev/null | tr ' ' +)
	sleep "$cpu_seconds"
	t2=$(cut -d' ' -f14,15 "/proc/$screen_pid/stat" 2>/dev/null | tr ' ' +)
	tmux -L "$tmux_sock" kill-server 2>/dev/null || :
	screen_pid=
	if [ -n "$t1" ] && [ -n "$t2" ]; then
		awk -v a="$((t2))" -v b="$((t1))" -v hz="$(getconf CLK_TCK)" -v s="$cpu_seconds" \
			'BEGIN { printf "cpu_pct=%.2f\n", (a - b) * 100 / (hz * s) }'
	else
		echo "cpu_pct=nan"
	fi
}

stop_load() {
	if [ -n "$lg_pid" ]; then
		exec 3>&- 2>/dev/null || true # EOF: the generator cleans up and exits
		wait "$lg_pid" 2>/dev/null || true
		lg_pid=
	fi
}
cleanup() {
	tmux -L "$tmux_sock" kill-server 2>/dev/null || :
	stop_load
	"$build/tests/bench/loadgen" --cleanup 2>/dev/null || true
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //'), \
$(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), Linux $(uname -r)"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg) (load average)"

for size in "$@"; do
	p=${size%:*}
	f=${size#*:}
	mkfifo "$tmp/in"
	"$build/tests/bench/loadgen" -p "$p" -f "$f" <"$tmp/in" >"$tmp/ready" &
	lg_pid=$!
	exec 3>"$tmp/in"
	rm -f "$tmp/in"
	i=0
	until grep -q '^ready' "$tmp/ready" 2>/dev/null; do
		i=$((i + 1))
		if [ $i -gt 600 ] || ! kill -0 "$lg_pid" 2>/dev/null; then
			echo "loadgen -p $p -f $f did not get ready" >&2
			exit 1
		fi
		sleep 0.1
	done
	sleep 1 # let the children settle into sleep
	nproc_all=$(ls -d /proc/[0-9]* 2>/dev/null | wc -l)
	nfds=$("$build/tests/bench/floor")
	echo "size P=$p F=$f: $(cat "$tmp/ready"); the machine: $nproc_all processes, $nfds fds"
	BENCH_RUNS=$runs BENCH_SIZE="P=$p/F=$f" BENCH_BUILD=$build BENCH_OUT="$tmp/rows" \
		python3 - <<'EOF'
import os, resource, statistics, subprocess, time

runs = int(os.environ["BENCH_RUNS"])
build = os.environ["BENCH_BUILD"]
tools = [
    ("ipctop --json -n 1", [build + "/src/ipctop", "--json", "-n", "1"]),
    ("lsof +E -n -P", ["lsof", "+E", "-n", "-P"]),
    ("lsfd", ["lsfd"]),
    ("ss -xanp", ["ss", "-xanp"]),
    ("readlink loop", [build + "/tests/bench/floor"]),
]
cpu = {}

def children_cpu():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime

def run(name, argv):
    c0, t0 = children_cpu(), time.perf_counter()
    subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    t = time.perf_counter() - t0
    cpu.setdefault(name, []).append(children_cpu() - c0)
    return t

def peak_rss(argv):
    """KB, by /usr/bin/time (a rusage taken through python's vfork would
    report python's own high-water mark, which exec keeps)."""
    try:
        r = subprocess.run(["/usr/bin/time", "-f", "%M"] + argv, stdout=subprocess.DEVNULL,
                           stderr=subprocess.PIPE, text=True)
        return int(r.stderr.strip().splitlines()[-1])
    except (FileNotFoundError, ValueError, IndexError):
        return -1

res = {}
for _ in range(runs):  # interleaved, so that noise spreads over every tool
    for name, argv in tools:
        try:
            res.setdefault(name, []).append(run(name, argv))
        except FileNotFoundError:
            continue
out = open(os.environ["BENCH_OUT"], "a")
for name, argv in tools:
    if name in res:
        out.write("%s\t%s\t%.4f\t%d\t%.4f\n" % (os.environ["BENCH_SIZE"], name,
                  statistics.median(res[name]), peak_rss(argv), statistics.median(cpu[name])))
EOF
	# whether the cold runs above read fds through the BPF fd dump or /proc
	dumped=$(IPCTOP_TIMING=1 "$build/src/ipctop" --json -n 1 2>&1 >/dev/null |
		sed -n 's/.* dumped=\([0-9]*\).*/\1/p' | tail -n 1)
	echo "  fds of ${dumped:-0} processes read through the fd dump (0: all through /proc)"
	steady=$("$build/tests/bench/refresh" "$runs")
	echo "  in-process refresh: $steady"
	printf '%s\t%s\n' "P=$p/F=$f" "$steady" >>"$tmp/steady"
	if [ "$size" = "$(eval echo \${$#})" ] && [ "$cpu_seconds" -gt 0 ]; then
		cpu=$("$build/tests/bench/refresh" --cpu "$cpu_seconds")
		printf '%s\t%s screen_%s\n' "P=$p/F=$f" "$cpu" "$(screen_cpu)" >>"$tmp/cpu"
	fi
	stop_load
done

BENCH_TMP=$tmp python3 - <<'EOF'
import os
tmp = os.environ["BENCH_TMP"]
rows = [l.rstrip("\n").split("\t") for l in open(tmp + "/rows")]
steady = dict(l.rstrip("\n").split("\t") for l in open(tmp + "/steady"))
cpu = {}
if os.path.exists(tmp + "/cpu"):
    cpu = dict(l.rstrip("\n").split("\t") for l in open(tmp + "/cpu"))
sizes = []
for r in rows:
    if r[0] not in sizes:
        sizes.append(r[0])
print()
print("| size | tool | median s | CPU s | peak RSS MB | vs readlink loop |")
print("| --- | --- | ---: | ---: | ---: | ---: |")
for s in sizes:
    t = {r[1]: (float(r[2]), int(r[3]), float(r[4])) for r in rows if r[0] == s}
    floor = t.get("readlink loop", (None,))[0]
    for name, (sec, rss, cpus) in t.items():
        ratio = "%.2f×" % (sec / floor) if floor else "-"
        mb = "%.1f" % (rss / 1024) if rss >= 0 else "-"
        print("| %s | %s | %.3f | %.3f | %s | %s |" % (s, name, sec, cpus, mb, ratio))
print()
print("| size | ipctop cold | lsof +E / ipctop | lsfd / ipctop | refresh cold ms | refresh steady ms | steady / cold | steady / ipctop cold | processes reused / read |")
print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
for s in sizes:
    t = {r[1]: float(r[2]) for r in rows if r[0] == s}
    ip = t.get("ipctop --json -n 1")
    kv = dict(x.split("=") for x in steady.get(s, "").split())
    cold, st = float(kv.get("cold_ms", "nan")), float(kv.get("steady_ms", "nan"))
    f = lambda k: "%.1f×" % (t[k] / ip) if k in t and ip else "-"
    # steady against the in-process cold scan (both without exec, BPF load
    # and output), and against the cold command the issue names
    print("| %s | %.2f× floor | %s | %s | %.1f | %.1f | %.2f | %.2f | %s / %s |" % (
        s, ip / t["readlink loop"], f("lsof +E -n -P"), f("lsfd"), cold, st, st / cold,
        st / 1e3 / ip, kv.get("reused", "?"), kv.get("read", "?")))
for s, v in cpu.items():
    kv = dict(x.split("=") for x in v.split())
    print()
    print("refresh every 2 s (the default interval), %s: in-process %s %% of one core after a "
          "first refresh of %s ms CPU; the screen (ipctop in tmux) %s %%"
          % (s, kv.get("cpu_pct"), kv.get("first_ms"), kv.get("screen_cpu_pct")))
EOF
