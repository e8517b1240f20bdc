/* A unit of a tree whose Kconfig and Makefiles loop (written for sever's tests). */
int demo_loop;
