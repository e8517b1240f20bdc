/* fixture: two_a.c */
int placeholder_two_a;
