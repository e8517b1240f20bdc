/* fixture: memcpy.c */
int placeholder_memcpy;
