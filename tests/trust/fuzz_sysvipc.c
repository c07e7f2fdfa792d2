/* libFuzzer target: the /proc/sysvipc/{shm,msg,sem} line parsers, fed every
 * line of the input as a probe reads the file (sysvipc_next_line). */
#include "config.h"

#include "fuzz.h"
#include "sysvipc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_cstr(data, size), *cursor = text, *line;

	while ((line = sysvipc_next_line(&cursor))) {
		struct sysvipc_shm shm;
		struct sysvipc_msg msg;
		struct sysvipc_sem sem;
		int r;

		r = sysvipc_parse_shm_line(line, &shm);
		FUZZ_ASSERT(r == SYSVIPC_OK || r == SYSVIPC_ERROR || r == SYSVIPC_HEADER);
		if (r == SYSVIPC_OK)
			FUZZ_ASSERT(shm.id >= 0 && shm.perms <= 0177777);
		r = sysvipc_parse_msg_line(line, &msg);
		if (r == SYSVIPC_OK)
			FUZZ_ASSERT(msg.id >= 0);
		r = sysvipc_parse_sem_line(line, &sem);
		if (r == SYSVIPC_OK)
			FUZZ_ASSERT(sem.id >= 0);
	}
	free(text);
	return 0;
}
