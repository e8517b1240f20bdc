/* fixture: withdebug.c */
int placeholder_withdebug;
