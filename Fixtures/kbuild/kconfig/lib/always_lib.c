/* fixture: always_lib.c */
int placeholder_always_lib;
