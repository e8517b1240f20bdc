/* Builds pressure.c the way kernel/sched/build_utility.c builds psi.c (fixture). */
#include <linux/cgroup-defs.h>
#include <linux/slab.h>

#include "pressure.c"
