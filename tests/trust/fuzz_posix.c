/* libFuzzer target: the text of /dev/mqueue/NAME, a named semaphore's file
 * (both layouts), and the path classifiers of the POSIX/mmap probes. */
#include "config.h"

#include "fuzz.h"
#include "posix_parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_cstr(data, size);
	uint8_t *raw = malloc(size ? size : 1);
	struct posix_mq_text mq;
	struct posix_sem_state sem;
	const char *name;

	if (!raw)
		abort();
	memcpy(raw, data, size);
	(void)posix_parse_mq_text(text, &mq);
	if (posix_sem_decode(raw, size, POSIX_SEM_LAYOUT_64, &sem) == 0)
		FUZZ_ASSERT(sem.value >= 0 && sem.value <= INT32_MAX);
	(void)posix_sem_decode(raw, size, POSIX_SEM_LAYOUT_32, &sem);
	(void)posix_is_sem_entry(text);
	if (posix_shm_path_name(text, &name))
		FUZZ_ASSERT(name > text && name <= text + size && !strchr(name, '/'));
	(void)posix_mq_fd_name(text);
	if (posix_memfd_name(text, &name))
		FUZZ_ASSERT(name == text + 7);
	(void)posix_map_classify(text);
	free(raw);
	free(text);
	return 0;
}
