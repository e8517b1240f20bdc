/* fixture: comp_b.c */
int placeholder_comp_b;
