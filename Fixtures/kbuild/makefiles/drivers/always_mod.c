/* fixture: always_mod.c */
int placeholder_always_mod;
