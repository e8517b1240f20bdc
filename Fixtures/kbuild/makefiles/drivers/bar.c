/* fixture: bar.c */
int placeholder_bar;
