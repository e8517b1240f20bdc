/* fixture: withmmu.c */
int placeholder_withmmu;
