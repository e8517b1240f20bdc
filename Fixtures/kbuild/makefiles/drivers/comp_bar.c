/* fixture: comp_bar.c */
int placeholder_comp_bar;
