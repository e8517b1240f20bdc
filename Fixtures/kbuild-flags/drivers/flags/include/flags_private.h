/* Found only through ccflags-y's -I $(src)/include (written for sever). */
#define FLAGS_PRIVATE 1
