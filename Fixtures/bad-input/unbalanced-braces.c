/* An open brace that never closes (written for sever's tests). */
struct file_operations { int (*open)(void); };
static int demo_open(void) {
	if (1) {
		return 0;
static const struct file_operations demo_fops = { .open = demo_open };
