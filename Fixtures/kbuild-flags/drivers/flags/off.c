/* Compiled only with CONFIG_FLAGS_OFF, which the configuration leaves out (written for sever). */
#if !defined(CONFIG_FLAGS_OFF) && !defined(CONFIG_FLAGS_OFF_MODULE)
#error "the object's own configuration symbol is not defined for it"
#endif
int flags_off;
