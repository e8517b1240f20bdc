/* fixture: bic_a.c */
int placeholder_bic_a;
