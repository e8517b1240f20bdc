/* Positional and nested initializers: fields are named from the struct's declaration order. */
struct kernfs_open_file;
struct kernfs_ops {
	int (*open)(struct kernfs_open_file *of);
	void (*release)(struct kernfs_open_file *of);
};
static int positional_open(struct kernfs_open_file *of) { return 0; }
static void positional_release(struct kernfs_open_file *of) { }
static const struct kernfs_ops positional_ops = { positional_open, positional_release };
