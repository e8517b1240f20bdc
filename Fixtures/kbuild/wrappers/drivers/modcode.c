/* fixture: modcode.c */
#ifdef MODULE
static int in_module;
#endif
int placeholder_modcode;
