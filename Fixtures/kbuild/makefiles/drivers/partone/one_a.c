/* fixture: one_a.c */
int placeholder_one_a;
