/* fixture: fallback.c */
int placeholder_fallback;
