/* Shared bits of the libFuzzer targets (tests/trust/fuzz_*.c): the input as
 * a NUL-terminated string in a buffer of exactly its size, so that
 * AddressSanitizer catches a parser reading one byte past the end. */
#ifndef IPCTOP_FUZZ_H
#define IPCTOP_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static inline char *fuzz_cstr(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (!s)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

/* A check that holds whatever the input: abort() makes libFuzzer report it. */
#define FUZZ_ASSERT(cond)          \
	do {                       \
		if (!(cond))       \
			abort();   \
	} while (0)

#endif
