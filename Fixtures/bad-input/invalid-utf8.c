/* café in Latin-1 */
int demo_latin1;
