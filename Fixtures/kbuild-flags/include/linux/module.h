/* Module identity, as the kernel spells it (written for sever): built-in code names its file. */
#ifndef FLAGS_MODULE_H
#define FLAGS_MODULE_H
#ifdef MODULE
#define MODULE_FILE
#else
#define MODULE_FILE static const char __module_file[] = KBUILD_MODFILE;
#endif
#define MODULE_LICENSE(_license) MODULE_FILE static const char __module_license[] = _license
#endif
