/* fixture: thismod.c */
/* THIS_MODULE and CONFIG_MODULES are not MODULE tests */
#ifdef CONFIG_MODULES
int x;
#endif
int placeholder_thismod;
