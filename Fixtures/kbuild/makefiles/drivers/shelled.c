/* fixture: shelled.c */
int placeholder_shelled;
