/* fixture: debug.c */
int placeholder_debug;
