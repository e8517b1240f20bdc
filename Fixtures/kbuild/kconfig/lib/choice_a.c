/* fixture: choice_a.c */
int placeholder_choice_a;
