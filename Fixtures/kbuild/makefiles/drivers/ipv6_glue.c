/* fixture: ipv6_glue.c */
int placeholder_ipv6_glue;
