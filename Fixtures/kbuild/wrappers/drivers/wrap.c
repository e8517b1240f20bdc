/* fixture: wrapper in a module */
#include "inner.c"
#include "mid.c"
