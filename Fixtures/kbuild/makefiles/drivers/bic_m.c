/* fixture: bic_m.c */
int placeholder_bic_m;
