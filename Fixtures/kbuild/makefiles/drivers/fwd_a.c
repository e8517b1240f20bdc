/* fixture: fwd_a.c */
int placeholder_fwd_a;
