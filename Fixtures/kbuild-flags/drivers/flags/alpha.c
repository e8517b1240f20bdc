/* Part of the composite module flagsmod.o (written for sever). */
#include <linux/module.h>
#include "flags_private.h"

#if !defined(FROM_PARENT) || !defined(MODULE) || ARCH_FLAG != 64 || !defined(CORE_ENABLED)
#error "subdir-ccflags-y, -DMODULE, the architecture flag or ccflags-$(CONFIG_…) is missing"
#endif
#if defined(REMOVED_BELOW) || defined(NOT_FOR_MODULES)
#error "ccflags-remove-y was not applied, or ccflags-m was read"
#endif
_Static_assert(sizeof(KBUILD_MODNAME) == sizeof("flagsmod"), "KBUILD_MODNAME is the module's");
_Static_assert(sizeof(KBUILD_BASENAME) == sizeof("alpha"), "KBUILD_BASENAME is the file's");
_Static_assert(sizeof(DIR_FLAG) == sizeof("dir"), "the quoted define reaches the compiler");
MODULE_LICENSE("GPL");
