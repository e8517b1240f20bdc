/* fixture: a unity build wrapper */
#include "psi.c"
# include "cpuacct.c"
