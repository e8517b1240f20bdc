/* fixture: a unity build wrapper */
#include "psi.c"
# include "cpuacct.c"
#ifdef CONFIG_SCHED_DEBUG
#include "debug.c"
#endif
#if IS_ENABLED(CONFIG_NOT_ON_THIS_ARCH)
#include "never.c"
#else
#include "fallback.c"
#endif
#ifndef CONFIG_SCHED_DEBUG
#include "nodebug.c"
#else
#include "withdebug.c"
#endif
