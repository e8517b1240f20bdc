/* Allocation, as fixtures need it. */
#ifndef FIXTURE_SLAB_H
#define FIXTURE_SLAB_H
#include <linux/types.h>
void *kmalloc(size_t size, int flags);
void *kzalloc(size_t size, int flags);
void kfree(const void *p);
void *kmemdup(const void *src, size_t len, int flags);
#endif
