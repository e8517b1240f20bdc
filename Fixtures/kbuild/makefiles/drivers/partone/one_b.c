/* fixture: one_b.c */
int placeholder_one_b;
