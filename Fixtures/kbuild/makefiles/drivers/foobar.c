/* fixture: foobar.c */
int placeholder_foobar;
