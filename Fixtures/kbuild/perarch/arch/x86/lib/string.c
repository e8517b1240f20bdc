/* fixture: string.c */
int placeholder_string;
