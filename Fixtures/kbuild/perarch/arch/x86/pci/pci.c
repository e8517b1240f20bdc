/* fixture: pci.c */
int placeholder_pci;
