/* libFuzzer target: /proc/net/unix, tcp, tcp6, udp, udp6 line parsers. Each
 * line is parsed as every format; a parsed unix name must fit and end. */
#include "config.h"

#include "fuzz.h"
#include "procnet.h"

#include <netinet/in.h>
#include <sys/socket.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_cstr(data, size);
	const char *line = text;

	while (line) {
		struct unix_sock_info u;
		struct inet_sock_info s;
		char addr[INETDIAG_ADDR_MAX];
		const char *nl = strchr(line, '\n');

		if (procnet_parse_unix(line, &u) == 0)
			FUZZ_ASSERT(strlen(u.name) < UNIXDIAG_NAME_MAX);
		if (procnet_parse_inet(line, AF_INET, IPPROTO_TCP, &s) == 0) {
			inetdiag_format(s.family, s.src, s.sport, addr, sizeof(addr));
			(void)inetdiag_state_name(s.state);
		}
		if (procnet_parse_inet(line, AF_INET6, IPPROTO_UDP, &s) == 0) {
			inetdiag_format(s.family, s.dst, s.dport, addr, sizeof(addr));
			(void)inetdiag_remote_unset(&s);
		}
		line = nl ? nl + 1 : NULL;
	}
	free(text);
	return 0;
}
