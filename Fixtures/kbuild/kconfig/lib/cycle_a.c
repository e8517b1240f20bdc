/* fixture: cycle_a.c */
int placeholder_cycle_a;
