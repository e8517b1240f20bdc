/* fixture: implied.c */
int placeholder_implied;
