/* fixture: continued.c */
int placeholder_continued;
