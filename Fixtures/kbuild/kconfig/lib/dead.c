/* fixture: dead.c */
int placeholder_dead;
