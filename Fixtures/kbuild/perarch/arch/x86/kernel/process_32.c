/* fixture: process_32.c */
int placeholder_process_32;
