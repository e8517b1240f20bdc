/* fixture: setup.c */
int placeholder_setup;
