/* fixture: inner.c */
int placeholder_inner;
