/* fixture: kvm_main.c */
int placeholder_kvm_main;
