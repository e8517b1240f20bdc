/* fixture: never_late.c */
int placeholder_never_late;
