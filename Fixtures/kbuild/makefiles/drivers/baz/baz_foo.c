/* fixture: baz_foo.c */
int placeholder_baz_foo;
