/* fixture: only_m.c */
int placeholder_only_m;
