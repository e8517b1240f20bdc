/* Built by no architecture of this tree (written for sever). */
int nowhere;
