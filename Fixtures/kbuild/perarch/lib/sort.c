/* fixture: sort.c */
int placeholder_sort;
