/* fixture: fake.c */
int placeholder_fake;
