/* A table cut off mid-initializer: sever must still report what it can and not crash. */
struct file_operations { int (*open)(void); int (*release)(void); };
static int truncated_open(void) { return 0; }
static const struct file_operations truncated_fops = {
	.open = truncated_open,
	.release =
