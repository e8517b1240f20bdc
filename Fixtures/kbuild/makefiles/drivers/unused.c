/* fixture: unused.c */
int placeholder_unused;
