/* fixture: foo.c */
int placeholder_foo;
