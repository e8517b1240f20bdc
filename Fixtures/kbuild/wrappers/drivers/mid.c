/* fixture: included, and itself including */
#include "leaf.c"
