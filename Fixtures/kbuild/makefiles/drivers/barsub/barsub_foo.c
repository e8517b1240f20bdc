/* fixture: barsub_foo.c */
int placeholder_barsub_foo;
