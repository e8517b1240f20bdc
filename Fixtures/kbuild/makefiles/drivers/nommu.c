/* fixture: nommu.c */
int placeholder_nommu;
