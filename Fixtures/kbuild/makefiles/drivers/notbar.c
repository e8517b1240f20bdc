/* fixture: notbar.c */
int placeholder_notbar;
