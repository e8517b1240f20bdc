/* fixture: fwd_late.c */
int placeholder_fwd_late;
