/* Stand-in for <string.h> for the macOS type-check of ring's C (no SDK here): the mem* functions
 * ring calls. */
#ifndef MCPCONF_STUB_STRING_H
#define MCPCONF_STUB_STRING_H
#include <stddef.h>
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
#endif
