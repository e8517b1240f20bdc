/* fixture: arm.c */
int placeholder_arm;
