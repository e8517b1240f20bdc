/* fixture: in_menu.c */
int placeholder_in_menu;
