/* Allocation that never returns NULL: out of memory restores the terminal
 * (through the registered hook) and exits. */
#ifndef IPCTOP_XALLOC_H
#define IPCTOP_XALLOC_H

#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
void *xreallocarray(void *p, size_t n, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
__attribute__((noreturn)) void xalloc_die(void);
/* Called before exiting on out-of-memory (the screen sets one to end curses). */
void xalloc_set_die_hook(void (*hook)(void));

#endif
