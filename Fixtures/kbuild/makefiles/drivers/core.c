/* fixture: core.c */
int placeholder_core;
