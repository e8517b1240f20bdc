/* fixture: extra.c */
int placeholder_extra;
