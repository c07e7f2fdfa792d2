/* libFuzzer target: one unix_diag netlink reply payload (struct
 * unix_diag_msg + rtattrs), then everything a probe reads from it. */
#include "config.h"

#include "fuzz.h"
#include "unixdiag.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* an exact-size copy: the decoder must not read past len */
	uint8_t *buf = malloc(size ? size : 1);
	struct unix_sock_info u;

	if (!buf)
		abort();
	memcpy(buf, data, size);
	if (unixdiag_parse(buf, size, &u) == 0) {
		uint64_t sum = 0;

		FUZZ_ASSERT(strlen(u.name) < UNIXDIAG_NAME_MAX);
		for (size_t i = 0; i < u.nicons; i++)
			sum += unixdiag_icon(&u, i);
		(void)sum;
		(void)unixdiag_type_name(u.type);
		(void)unixdiag_state_name(u.state);
	}
	free(buf);
	return 0;
}
