/* libFuzzer target: /proc/PID/maps lines (maps_parse_line), fdinfo text
 * (fdinfo_parse_field/mode) and /proc/PID/syscall (blocked_parse_syscall). */
#include "config.h"

#include "fuzz.h"
#include "blocked.h"
#include "fdtable.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_cstr(data, size);
	const char *line = text;
	uint64_t args[6];
	long nr;

	while (line) {
		struct map_entry m;
		const char *path, *nl = strchr(line, '\n');
		size_t plen;

		if (maps_parse_line(line, &m, &path, &plen)) {
			FUZZ_ASSERT(m.perms[4] == '\0');
			if (path)
				FUZZ_ASSERT(path >= line && path + plen <= text + size);
		}
		line = nl ? nl + 1 : NULL;
	}
	(void)fdinfo_parse_mode(text);
	(void)fdinfo_parse_field(text, "pos", 10);
	(void)fdinfo_parse_field(text, "eventfd-count", 16);
	if (blocked_parse_syscall(text, &nr, args))
		FUZZ_ASSERT(nr >= -1);
	(void)blocked_syscall_name(nr);
	free(text);
	return 0;
}
