/* fixture: def_bool.c */
int placeholder_def_bool;
