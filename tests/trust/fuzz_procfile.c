/* libFuzzer target: the /proc/PID text files a scan parses: status (Name:
 * unescaping, signal masks), stat, io, the namespace links, cmdline. */
#include "config.h"

#include "fuzz.h"
#include "procs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_cstr(data, size), *cmd;
	struct proc_status st;
	struct proc_stat ps;
	struct proc_io io;

	if (procs_parse_status(text, &st))
		FUZZ_ASSERT(strlen(st.name) < sizeof(st.name) && st.state);
	(void)procs_status_sigpnd(text);
	if (procs_parse_stat(text, &ps))
		FUZZ_ASSERT(strlen(ps.comm) < sizeof(ps.comm));
	(void)procs_parse_io(text, &io);
	(void)procs_parse_ns_link(text, "ipc");
	(void)procs_parse_ns_link(text, "net");
	/* cmdline: the raw bytes, NULs included */
	cmd = procs_cmdline_join((const char *)data, size);
	if (cmd) {
		FUZZ_ASSERT(strlen(cmd) <= size);
		free(cmd);
	}
	free(text);
	return 0;
}
