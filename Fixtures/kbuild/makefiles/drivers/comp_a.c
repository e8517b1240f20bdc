/* fixture: comp_a.c */
int placeholder_comp_a;
