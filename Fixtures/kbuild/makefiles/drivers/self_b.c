/* fixture: self_b.c */
int placeholder_self_b;
