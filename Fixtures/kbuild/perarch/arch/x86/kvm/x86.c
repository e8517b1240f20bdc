/* fixture: x86.c */
int placeholder_x86;
