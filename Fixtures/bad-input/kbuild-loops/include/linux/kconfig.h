/* kconfig.h stand-in (written for sever's tests). */
