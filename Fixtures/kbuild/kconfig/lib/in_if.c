/* fixture: in_if.c */
int placeholder_in_if;
