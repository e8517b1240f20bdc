/* fixture: dep_bool.c */
int placeholder_dep_bool;
