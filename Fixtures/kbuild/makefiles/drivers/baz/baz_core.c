/* fixture: baz_core.c */
int placeholder_baz_core;
