/* fixture: never.c */
int placeholder_never;
