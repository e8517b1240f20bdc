/* fixture: dep_mod.c */
int placeholder_dep_mod;
