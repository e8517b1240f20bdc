/* The demo core object, shared by the demo drivers (fixture, not kernel code). */
#ifndef DEMO_CORE_H
#define DEMO_CORE_H
#include <linux/refcount.h>

struct demo_core {
	struct kref ref;
	int stats;
};

void demo_core_get(struct demo_core *core);
void demo_core_put(struct demo_core *core);
#endif
