/* fixture: def_tri_y.c */
int placeholder_def_tri_y;
