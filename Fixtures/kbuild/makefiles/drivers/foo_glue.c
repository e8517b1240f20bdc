/* fixture: foo_glue.c */
int placeholder_foo_glue;
