/* fixture: psi.c */
int placeholder_psi;
