/* fixture: def_tri.c */
int placeholder_def_tri;
