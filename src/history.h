/* History: the previous snapshot gives rates, new objects and stuck queues. */
#ifndef IPCTOP_HISTORY_H
#define IPCTOP_HISTORY_H

#include "model.h"

/* Derives cur's rates and FLAG_NEW / FLAG_STUCK from prev (may be NULL). */
void history_apply(const struct snapshot *prev, struct snapshot *cur);

#endif
