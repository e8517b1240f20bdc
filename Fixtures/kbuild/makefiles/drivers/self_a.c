/* fixture: self_a.c */
int placeholder_self_a;
