/* A file that includes itself (written for sever's tests): clang stops at its include depth. */
#include "self-include.c"
int self_included;
