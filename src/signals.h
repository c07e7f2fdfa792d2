/* Signal numbers and sets as /proc/PID/status shows them (SigPnd, ShdPnd,
 * SigBlk, SigIgn, SigCgt): a 64-bit mask, bit (n-1) for signal n, printed as
 * 16 hex digits. Names are those `kill -l` prints with glibc. */
#ifndef IPCTOP_SIGNALS_H
#define IPCTOP_SIGNALS_H

#include <stddef.h>
#include <stdint.h>

#define SIGNALS_MAX 64
#define SIGNAL_BIT(sig) (UINT64_C(1) << ((sig) - 1))

/* "SIGUSR1", "SIG32", "SIGRTMIN+3", "SIGRTMAX"; NULL for a number outside
 * 1..64. Names that must be formatted are written into buf. */
const char *signal_name(int sig, char buf[16]);

/* The inverse of signal_name: 1..64 for "SIGUSR1", "SIG32", "SIGRTMIN+3",
 * "SIGRTMAX"; -1 for any other string. */
int signal_parse_name(const char *name);

/* Parses a status mask ("0000000000000200"): 1 to 16 hex digits, optionally
 * followed by white space. Returns 0, or -1 (and *out untouched) if malformed. */
int signals_parse_mask(const char *hex, uint64_t *out);

/* Walks the signals of a set, lowest first:
 *	struct signals_iter it;
 *	signals_iter_init(&it, set);
 *	while ((name = signals_next(&it)))
 *		use(it.sig, name);
 * The name stays valid until the next call. */
struct signals_iter {
	uint64_t rest;
	int sig;
	char buf[16];
};
void signals_iter_init(struct signals_iter *it, uint64_t set);
const char *signals_next(struct signals_iter *it);

/* Writes the names joined by sep ("SIGINT,SIGTERM") into buf, always
 * NUL-terminated; a list that does not fit ends in "...". Returns buf. */
char *signals_format(uint64_t set, const char *sep, char *buf, size_t size);

#endif
