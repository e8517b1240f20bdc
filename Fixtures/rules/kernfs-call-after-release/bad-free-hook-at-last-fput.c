/* Suren's v1 kernfs_ops.free (2023): a hook called from the last fput, after severing. */
struct kernfs_open_file {
	void *priv;
	int released;
};

struct kernfs_ops {
	int (*open)(struct kernfs_open_file *of);
	void (*release)(struct kernfs_open_file *of);
	void (*free)(struct kernfs_open_file *of);
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

static void demo_release_file(struct kernfs_node *kn, struct kernfs_open_file *of, int final)
{
	if (kn->ops->release && !of->released) {
		kn->ops->release(of);
		of->released = 1;
	}
	if (final && kn->ops->free)
		kn->ops->free(of); /* expect: kernfs-call-after-release */
}

static int demo_fop_release(struct inode *inode, struct file *file)
{
	demo_release_file(file->kn, file->of, 1);
	return 0;
}

const struct file_operations demo_file_fops = {
	.release = demo_fop_release,
};
