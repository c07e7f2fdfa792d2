/* libFuzzer target: one inet_diag netlink reply payload (struct
 * inet_diag_msg + rtattrs, INET_DIAG_INFO's tcp_info) for tcp and udp. */
#include "config.h"

#include "fuzz.h"
#include "inetdiag.h"

#include <netinet/in.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *buf = malloc(size ? size : 1);
	static const int protos[] = { IPPROTO_TCP, IPPROTO_UDP };

	if (!buf)
		abort();
	memcpy(buf, data, size);
	for (int i = 0; i < 2; i++) {
		struct inet_sock_info s;
		char a[INETDIAG_ADDR_MAX];
		uint8_t v6[16];

		if (inetdiag_parse(buf, size, protos[i], &s) != 0)
			continue;
		inetdiag_format(s.family, s.src, s.sport, a, sizeof(a));
		FUZZ_ASSERT(strlen(a) < sizeof(a));
		inetdiag_format(s.family, s.dst, s.dport, a, sizeof(a));
		inetdiag_addr6(s.family, s.src, v6);
		(void)inetdiag_remote_unset(&s);
		(void)inetdiag_state_name(s.state);
	}
	free(buf);
	return 0;
}
