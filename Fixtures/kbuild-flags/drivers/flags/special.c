/* Built in, with per-object flags (written for sever). */
#include <linux/module.h>

#if !defined(SPECIAL) || defined(FROM_PARENT) || defined(MODULE)
#error "CFLAGS_special.o or CFLAGS_REMOVE_special.o was not applied"
#endif
_Static_assert(sizeof(KBUILD_MODFILE) == sizeof("drivers/flags/special"), "KBUILD_MODFILE");
MODULE_LICENSE("GPL");
