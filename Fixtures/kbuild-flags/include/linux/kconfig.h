/* Kconfig helpers of the flags fixture tree (written for sever). */
#include <generated/autoconf.h>
