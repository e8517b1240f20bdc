/* fixture: leaf.c */
int placeholder_leaf;
