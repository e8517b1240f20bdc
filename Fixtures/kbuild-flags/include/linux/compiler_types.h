/* Empty: Kbuild passes it with -include (written for sever). */
