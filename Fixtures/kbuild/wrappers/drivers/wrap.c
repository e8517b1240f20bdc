/* fixture: wrapper in a module */
#include "inner.c"
