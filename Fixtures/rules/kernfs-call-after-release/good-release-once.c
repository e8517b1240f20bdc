/* kernfs's contract: release once, at last close or severing; nothing else at last fput. */
struct kernfs_open_file {
	void *priv;
	int released;
};

struct kernfs_ops {
	int (*open)(struct kernfs_open_file *of);
	void (*release)(struct kernfs_open_file *of);
};

struct kernfs_node {
	const struct kernfs_ops *ops;
};

struct inode;

struct file {
	struct kernfs_open_file *of;
	struct kernfs_node *kn;
};

struct file_operations {
	int (*release)(struct inode *inode, struct file *file);
};

static void demo_release_file(struct kernfs_node *kn, struct kernfs_open_file *of)
{
	if (kn->ops->release && !of->released) {
		kn->ops->release(of);
		of->released = 1;
	}
}

static int demo_fop_release(struct inode *inode, struct file *file)
{
	demo_release_file(file->kn, file->of);
	return 0;
}

const struct file_operations demo_file_fops = {
	.release = demo_fop_release,
};
