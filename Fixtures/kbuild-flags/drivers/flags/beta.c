/* The other part of flagsmod.o (written for sever). */
#include <linux/module.h>

#ifndef MODULE
#error "-DMODULE is missing"
#endif
_Static_assert(sizeof(KBUILD_MODNAME) == sizeof("flagsmod"), "KBUILD_MODNAME is the module's");
MODULE_LICENSE("GPL");
