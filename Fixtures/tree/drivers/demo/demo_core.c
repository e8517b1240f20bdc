/*
 * Reference counting of the demo core object. This file spells no callback-table word, so the
 * prefilter leaves it out; tier 1 finds it when a handler's reach calls demo_core_get()
 * (fixture, not kernel code).
 */
#include <linux/slab.h>
#include "demo_core.h"

static void demo_core_free(struct kref *ref)
{
	kfree(ref);
}

void demo_core_get(struct demo_core *core)
{
	kref_get(&core->ref);
}

void demo_core_put(struct demo_core *core)
{
	kref_put(&core->ref, demo_core_free);
}
