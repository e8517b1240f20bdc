/* fixture: comp_modonly.c */
int placeholder_comp_modonly;
