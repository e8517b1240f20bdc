/* fixture: dep_eq_y.c */
int placeholder_dep_eq_y;
