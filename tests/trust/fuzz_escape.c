/* libFuzzer target: escaping of untrusted bytes. Whatever the input,
 * escape_json must give one valid JSON string of valid UTF-8 that json-c
 * parses, and escape_text no byte a terminal acts on (C0, DEL, C1). */
#include "config.h"

#include "fuzz.h"
#include "escape.h"

#include <stdbool.h>

#include <json-c/json.h>

static bool valid_utf8(const char *s, size_t len)
{
	size_t i = 0;
	unsigned cp;

	while (i < len) {
		size_t n = utf8_seq_len((const unsigned char *)s + i, len - i, &cp);

		if (n == 0)
			return false;
		i += n;
	}
	return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct strbuf sb;
	const char *out;
	size_t i = 0;
	unsigned cp;

	sb_init(&sb);
	escape_json(&sb, (const char *)data, size);
	out = sb_str(&sb);
	FUZZ_ASSERT(valid_utf8(out, sb.len));
	/* nothing a terminal acts on, raw, even in the JSON text */
	for (i = 0; i < sb.len;) {
		size_t n = utf8_seq_len((const unsigned char *)out + i, sb.len - i, &cp);

		FUZZ_ASSERT(cp >= 0x20 && cp != 0x7f && !(cp >= 0x80 && cp < 0xa0) &&
			    cp != 0x2028 && cp != 0x2029 && !(cp >= 0x202a && cp <= 0x202e));
		i += n;
	}
	i = 0;
	{
		struct json_object *j = json_tokener_parse(out);

		FUZZ_ASSERT(j && json_object_is_type(j, json_type_string));
		json_object_put(j);
	}

	sb_reset(&sb);
	escape_text(&sb, (const char *)data, size);
	out = sb_str(&sb);
	FUZZ_ASSERT(valid_utf8(out, sb.len));
	while (i < sb.len) {
		size_t n = utf8_seq_len((const unsigned char *)out + i, sb.len - i, &cp);

		FUZZ_ASSERT(cp >= 0x20 && cp != 0x7f && !(cp >= 0x80 && cp < 0xa0));
		i += n;
	}
	(void)text_width(out, sb.len);
	sb_free(&sb);
	return 0;
}
