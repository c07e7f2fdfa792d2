#include "config.h"

#include "procs.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "signals.h"
#include "xalloc.h"

/* Text of /proc/PID files: parsers (no I/O), the raw readers both paths use,
 * and the whole scan for fixture trees, where libproc2 cannot go. */

/* Copies the value of a "Key:\tvalue\n" line (leading blanks skipped). */
static bool status_value(const char *line, const char *eol, char *buf, size_t size)
{
	size_t n;

	while (line < eol && (*line == ' ' || *line == '\t'))
		line++;
	n = (size_t)(eol - line);
	if (n >= size)
		return false;
	memcpy(buf, line, n);
	buf[n] = '\0';
	return true;
}

static bool parse_long(const char *s, long *out)
{
	char *end;

	errno = 0;
	*out = strtol(s, &end, 10);
	return !errno && end != s && (*end == '\0' || isspace((unsigned char)*end));
}

/* Name: escapes '\n' as "\n" and '\\' as "\\" (fs/proc/array.c,
 * proc_task_name); every other byte is raw. */
static void status_unescape(const char *s, const char *eol, char *out, size_t size)
{
	size_t n = 0;

	for (; s < eol && n + 1 < size; s++) {
		if (*s == '\\' && s + 1 < eol && (s[1] == 'n' || s[1] == '\\')) {
			out[n++] = s[1] == 'n' ? '\n' : '\\';
			s++;
		} else {
			out[n++] = *s;
		}
	}
	out[n] = '\0';
}

static bool status_mask(const char *line, const char *eol, uint64_t *out, unsigned *seen,
			unsigned bit)
{
	char val[32];

	if (!status_value(line, eol, val, sizeof(val)) || signals_parse_mask(val, out) < 0)
		return false;
	*seen |= bit;
	return true;
}

bool procs_parse_status(const char *text, struct proc_status *st)
{
	unsigned masks = 0;
	bool have_name = false, ok = true;
	const char *line, *eol, *v;
	char val[64];
	long n;

	memset(st, 0, sizeof(*st));
	st->ppid = -1;
	st->euid = NONE;
	for (line = text; ok && line && *line; line = *eol ? eol + 1 : NULL) {
		eol = strchrnul(line, '\n');
		v = memchr(line, ':', (size_t)(eol - line));
		if (!v)
			continue;
		v++;
#define KEY(k) ((size_t)(v - line) == sizeof(k) && !memcmp(line, k ":", sizeof(k)))
		if (KEY("Name")) {
			if (*v == '\t')
				v++;
			status_unescape(v, eol, st->name, sizeof(st->name));
			have_name = true;
		} else if (KEY("State")) {
			ok = status_value(v, eol, val, sizeof(val)) && val[0] &&
			     !isspace((unsigned char)val[0]);
			st->state = ok ? val[0] : '\0';
		} else if (KEY("PPid")) {
			ok = status_value(v, eol, val, sizeof(val)) && parse_long(val, &n) && n >= 0;
			st->ppid = ok ? (pid_t)n : -1;
		} else if (KEY("Uid")) {
			long real, eff;

			/* real, effective, saved, filesystem */
			ok = status_value(v, eol, val, sizeof(val)) &&
			     sscanf(val, "%ld %ld", &real, &eff) == 2 && real >= 0 && eff >= 0;
			st->euid = ok ? eff : NONE;
		} else if (KEY("Threads")) {
			ok = status_value(v, eol, val, sizeof(val)) && parse_long(val, &n) && n > 0;
			st->threads = ok ? (int)n : 0;
		} else if (KEY("SigPnd")) {
			ok = status_mask(v, eol, &st->sig_pnd, &masks, 1);
		} else if (KEY("ShdPnd")) {
			ok = status_mask(v, eol, &st->shd_pnd, &masks, 2);
		} else if (KEY("SigBlk")) {
			ok = status_mask(v, eol, &st->sig_blk, &masks, 4);
		} else if (KEY("SigIgn")) {
			ok = status_mask(v, eol, &st->sig_ign, &masks, 8);
		} else if (KEY("SigCgt")) {
			ok = status_mask(v, eol, &st->sig_cgt, &masks, 16);
		}
#undef KEY
	}
	st->has_signals = masks == 31;
	return ok && have_name && st->state;
}

uint64_t procs_status_sigpnd(const char *text)
{
	const char *p = strstr(text, "\nSigPnd:");
	char val[32];
	uint64_t v;

	if (!p)
		return 0;
	p += strlen("\nSigPnd:");
	if (!status_value(p, strchrnul(p, '\n'), val, sizeof(val)) ||
	    signals_parse_mask(val, &v) < 0)
		return 0;
	return v;
}

bool procs_parse_stat(const char *text, struct proc_stat *st)
{
	const char *open = strchr(text, '('), *close = strrchr(text, ')'), *p;
	unsigned long long utime, stime;
	size_t n;
	int ppid;
	char state;

	memset(st, 0, sizeof(*st));
	st->ticks = NONE;
	if (!open || !close || close < open)
		return false;
	/* the comm may hold ')' or spaces: it ends at the last ')' */
	n = (size_t)(close - open - 1);
	if (n >= sizeof(st->comm))
		n = sizeof(st->comm) - 1;
	memcpy(st->comm, open + 1, n);
	st->comm[n] = '\0';
	if (sscanf(close + 1, " %c %d", &state, &ppid) != 2)
		return false;
	st->state = state;
	st->ppid = ppid;
	/* fields 14 and 15 (utime, stime); state is field 3 */
	p = close + 1;
	for (int field = 2; field < 13 && p; field++)
		p = strchr(p + 1, ' ');
	if (p && sscanf(p, " %llu %llu", &utime, &stime) == 2)
		st->ticks = (int64_t)(utime + stime);
	return true;
}

bool procs_parse_io(const char *text, struct proc_io *io)
{
	static const char *const keys[] = { "rchar:", "wchar:", "syscr:", "syscw:" };
	int64_t *fields[] = { &io->rchar, &io->wchar, &io->syscr, &io->syscw };
	bool any = false;

	for (size_t i = 0; i < 4; i++) {
		const char *p = strstr(text, keys[i]);
		long long v;

		*fields[i] = NONE;
		if (p && (p == text || p[-1] == '\n') &&
		    sscanf(p + strlen(keys[i]), "%lld", &v) == 1 && v >= 0) {
			*fields[i] = v;
			any = true;
		}
	}
	return any;
}

int64_t procs_parse_ns_link(const char *link, const char *type)
{
	size_t tl = strlen(type);
	unsigned long long v;
	char *end;

	if (strncmp(link, type, tl) || strncmp(link + tl, ":[", 2))
		return NONE;
	link += tl + 2;
	if (!isdigit((unsigned char)*link))
		return NONE;
	errno = 0;
	v = strtoull(link, &end, 10);
	if (errno || strcmp(end, "]") || v > INT64_MAX)
		return NONE;
	return (int64_t)v;
}

char *procs_cmdline_join(const char *buf, size_t len)
{
	char *s;

	while (len && buf[len - 1] == '\0')
		len--;
	if (!len)
		return NULL;
	s = xmalloc(len + 1);
	for (size_t i = 0; i < len; i++)
		s[i] = buf[i] ? buf[i] : ' ';
	s[len] = '\0';
	return s;
}

char *procs_read_comm(const struct ipc_ctx *ctx, pid_t pid)
{
	char path[64], buf[PROCS_COMM_MAX + 2];
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%d/comm", (int)pid);
	n = ctx_read_buf(ctx, path, buf, sizeof(buf));
	if (n < 0)
		return NULL;
	/* raw bytes, one final '\n' added by the kernel (a comm may hold more) */
	if (n > 0 && buf[n - 1] == '\n')
		buf[n - 1] = '\0';
	return xstrdup(buf);
}

char *procs_read_cmdline(const struct ipc_ctx *ctx, pid_t pid)
{
	char path[64], *buf, *s;
	size_t len = 0;

	snprintf(path, sizeof(path), "/proc/%d/cmdline", (int)pid);
	buf = ctx_read_file(ctx, path, &len);
	if (!buf)
		return NULL;
	s = procs_cmdline_join(buf, len);
	free(buf);
	return s;
}

uint64_t procs_threads_pending(const struct ipc_ctx *ctx, pid_t pid)
{
	char path[80], buf[4096];
	struct dirent *de;
	uint64_t set = 0;
	DIR *d;

	snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
	d = ctx_opendir(ctx, path);
	if (!d)
		return 0;
	while ((de = readdir(d))) {
		ssize_t n;

		if (!isdigit((unsigned char)de->d_name[0]))
			continue;
		snprintf(path, sizeof(path), "/proc/%d/task/%.20s/status", (int)pid, de->d_name);
		n = ctx_read_buf(ctx, path, buf, sizeof(buf));
		if (n < 0)
			continue; /* the thread ended */
		if (!strstr(buf, "\nSigPnd:") && (size_t)n >= sizeof(buf) - 1) {
			/* a long Groups: line pushed it out of the buffer */
			char *all = ctx_read_file(ctx, path, NULL);

			if (all)
				set |= procs_status_sigpnd(all);
			free(all);
			continue;
		}
		set |= procs_status_sigpnd(buf);
	}
	closedir(d);
	return set;
}

char *procs_user_name(int64_t uid)
{
	struct passwd *pw;
	char num[24];

	if (!HAS(uid))
		return NULL;
	pw = getpwuid((uid_t)uid);
	if (pw && pw->pw_name)
		return xstrdup(pw->pw_name);
	snprintf(num, sizeof(num), "%" PRId64, uid);
	return xstrdup(num);
}

static void fixture_namespaces(const struct ipc_ctx *ctx, struct ipc_process *p)
{
	static const char *const types[] = { "ipc", "net", "mnt" };
	int64_t *fields[] = { &p->ns_ipc, &p->ns_net, &p->ns_mnt };
	char path[64], link[64];

	for (size_t i = 0; i < 3; i++) {
		ssize_t n;

		snprintf(path, sizeof(path), "/proc/%d/ns/%s", (int)p->pid, types[i]);
		n = ctx_readlink(ctx, path, link, sizeof(link) - 1);
		*fields[i] = NONE;
		if (n > 0) {
			link[n] = '\0';
			*fields[i] = procs_parse_ns_link(link, types[i]);
		}
	}
}

static void fixture_one(const struct ipc_ctx *ctx, struct snapshot *snap, pid_t pid)
{
	struct proc_status st;
	struct proc_stat sa;
	struct proc_io io;
	struct ipc_process *p;
	struct stat sb;
	char path[64], statbuf[1024], iobuf[512], *status;
	bool have_status, have_stat;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	status = ctx_read_file(ctx, path, NULL);
	have_status = status && procs_parse_status(status, &st);
	free(status);
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	have_stat = ctx_read_buf(ctx, path, statbuf, sizeof(statbuf)) > 0 &&
		    procs_parse_stat(statbuf, &sa);
	snprintf(path, sizeof(path), "/proc/%d", (int)pid);
	if (!have_status && !have_stat && ctx_stat(ctx, path, &sb, true) < 0)
		return; /* vanished */

	p = snapshot_add_process(snap, pid);
	p->syscall_nr = -1;
	p->comm = procs_read_comm(ctx, pid);
	if (!p->comm && (have_stat || have_status))
		p->comm = xstrdup(have_stat ? sa.comm : st.name);
	p->cmdline = procs_read_cmdline(ctx, pid);
	p->ppid = have_status ? st.ppid : have_stat ? sa.ppid : 0;
	p->state = have_status ? st.state : have_stat ? sa.state : '?';
	p->cpu_time = have_stat ? sa.ticks : NONE;
	if (have_status) {
		p->user = procs_user_name(st.euid);
		p->nlwp = st.threads;
		p->has_signals = st.has_signals;
		p->sig_pending = st.sig_pnd | st.shd_pnd;
		if (st.threads > 1)
			p->sig_pending |= procs_threads_pending(ctx, pid);
		p->sig_shared_pending = st.shd_pnd;
		p->sig_blocked = st.sig_blk;
		p->sig_ignored = st.sig_ign;
		p->sig_caught = st.sig_cgt;
	}
	snprintf(path, sizeof(path), "/proc/%d/io", (int)pid);
	if (ctx_read_buf(ctx, path, iobuf, sizeof(iobuf)) > 0 && procs_parse_io(iobuf, &io)) {
		p->rchar = io.rchar;
		p->wchar = io.wchar;
		p->syscr = io.syscr;
		p->syscw = io.syscw;
	} else {
		p->rchar = p->wchar = p->syscr = p->syscw = NONE;
	}
	fixture_namespaces(ctx, p);
}

int procs_fixture_scan(const struct ipc_ctx *ctx, struct snapshot *snap)
{
	struct dirent *de;
	DIR *d = ctx_opendir(ctx, "/proc");

	if (!d)
		return -1;
	while ((de = readdir(d))) {
		char *end;
		long pid = strtol(de->d_name, &end, 10);

		if (*end || end == de->d_name || pid <= 0)
			continue;
		fixture_one(ctx, snap, (pid_t)pid);
	}
	closedir(d);
	return 0;
}
