/* Kbuild passes this with -include so a compiler upgrade rebuilds everything; empty here. */
