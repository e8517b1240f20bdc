/* fixture: process_64.c */
int placeholder_process_64;
