/* fixture: cpuacct.c */
int placeholder_cpuacct;
