/* fixture: sel_target.c */
int placeholder_sel_target;
