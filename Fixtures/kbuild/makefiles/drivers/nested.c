/* fixture: nested.c */
int placeholder_nested;
