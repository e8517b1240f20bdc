/* fixture: opt_lib.c */
int placeholder_opt_lib;
