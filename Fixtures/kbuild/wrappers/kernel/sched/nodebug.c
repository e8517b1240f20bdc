/* fixture: nodebug.c */
int placeholder_nodebug;
