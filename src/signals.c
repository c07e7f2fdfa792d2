#include "config.h"

#include "signals.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>

/* The classic signals by their arch's numbers (SIGUSR1 is 10 on x86, 16 on
 * MIPS), so the table is right wherever it is built. */
static const char *const classic_names[32] = {
	[SIGHUP] = "SIGHUP",	 [SIGINT] = "SIGINT",	  [SIGQUIT] = "SIGQUIT",
	[SIGILL] = "SIGILL",	 [SIGTRAP] = "SIGTRAP",	  [SIGABRT] = "SIGABRT",
	[SIGBUS] = "SIGBUS",	 [SIGFPE] = "SIGFPE",	  [SIGKILL] = "SIGKILL",
	[SIGUSR1] = "SIGUSR1",	 [SIGSEGV] = "SIGSEGV",	  [SIGUSR2] = "SIGUSR2",
	[SIGPIPE] = "SIGPIPE",	 [SIGALRM] = "SIGALRM",	  [SIGTERM] = "SIGTERM",
#ifdef SIGSTKFLT
	[SIGSTKFLT] = "SIGSTKFLT",
#endif
	[SIGCHLD] = "SIGCHLD",	 [SIGCONT] = "SIGCONT",	  [SIGSTOP] = "SIGSTOP",
	[SIGTSTP] = "SIGTSTP",	 [SIGTTIN] = "SIGTTIN",	  [SIGTTOU] = "SIGTTOU",
	[SIGURG] = "SIGURG",	 [SIGXCPU] = "SIGXCPU",	  [SIGXFSZ] = "SIGXFSZ",
	[SIGVTALRM] = "SIGVTALRM", [SIGPROF] = "SIGPROF", [SIGWINCH] = "SIGWINCH",
	[SIGIO] = "SIGIO",
#ifdef SIGPWR
	[SIGPWR] = "SIGPWR",
#endif
	[SIGSYS] = "SIGSYS",
};

/* The kernel's real-time signals are 32..64; glibc keeps 32 and 33 for
 * itself, so its SIGRTMIN is 34 and `kill -l` counts from there. The names
 * are fixed here, not taken from the running libc's SIGRTMIN. */
#define GLIBC_RTMIN 34

const char *signal_name(int sig, char buf[16])
{
	if (sig < 1 || sig > SIGNALS_MAX)
		return NULL;
	if (sig < 32) {
		if (classic_names[sig])
			return classic_names[sig];
		snprintf(buf, 16, "SIG%d", sig);
	} else if (sig < GLIBC_RTMIN) {
		snprintf(buf, 16, "SIG%d", sig);
	} else if (sig == GLIBC_RTMIN) {
		return "SIGRTMIN";
	} else if (sig == SIGNALS_MAX) {
		return "SIGRTMAX";
	} else if (sig - GLIBC_RTMIN <= (SIGNALS_MAX - GLIBC_RTMIN) / 2) {
		snprintf(buf, 16, "SIGRTMIN+%d", sig - GLIBC_RTMIN);
	} else {
		snprintf(buf, 16, "SIGRTMAX-%d", SIGNALS_MAX - sig);
	}
	return buf;
}

int signal_parse_name(const char *name)
{
	char buf[16];

	/* 64 names: the exact inverse of signal_name, whatever the arch */
	for (int sig = 1; sig <= SIGNALS_MAX; sig++)
		if (strcmp(signal_name(sig, buf), name) == 0)
			return sig;
	return -1;
}

static int hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int signals_parse_mask(const char *hex, uint64_t *out)
{
	uint64_t v = 0;
	size_t n = 0;

	if (!hex)
		return -1;
	for (; hex_value(hex[n]) >= 0; n++) {
		if (n == 16)
			return -1;
		v = v << 4 | (uint64_t)hex_value(hex[n]);
	}
	if (n == 0)
		return -1;
	for (hex += n; *hex; hex++)
		if (*hex != ' ' && *hex != '\t' && *hex != '\n')
			return -1;
	*out = v;
	return 0;
}

void signals_iter_init(struct signals_iter *it, uint64_t set)
{
	it->rest = set;
	it->sig = 0;
	it->buf[0] = '\0';
}

const char *signals_next(struct signals_iter *it)
{
	if (!it->rest)
		return NULL;
	it->sig = __builtin_ctzll(it->rest) + 1;
	it->rest &= it->rest - 1;
	return signal_name(it->sig, it->buf);
}

char *signals_format(uint64_t set, const char *sep, char *buf, size_t size)
{
	static const char more[] = "...";
	struct signals_iter it;
	const char *name;
	size_t len = 0;

	if (!size)
		return buf;
	buf[0] = '\0';
	signals_iter_init(&it, set);
	while ((name = signals_next(&it))) {
		size_t need = (len ? strlen(sep) : 0) + strlen(name);

		if (len + need >= size) {
			if (size > sizeof(more)) {
				if (len > size - sizeof(more))
					len = size - sizeof(more);
				memcpy(buf + len, more, sizeof(more));
			}
			break;
		}
		len += (size_t)snprintf(buf + len, size - len, "%s%s", len ? sep : "", name);
	}
	return buf;
}
