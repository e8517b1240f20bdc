/* A module's debugfs file with a module-local release and no .owner: release runs after rmmod (D1). */
#include <linux/debugfs.h>
#include <linux/slab.h>
MODULE_LICENSE("GPL");

struct snap { int len; };

static int snap_open(struct inode *inode, struct file *file)
{
	file->private_data = kzalloc(sizeof(struct snap), GFP_KERNEL);
	return file->private_data ? 0 : -ENOMEM;
}

static int snap_release(struct inode *inode, struct file *file)
{
	kfree(file->private_data);
	return 0;
}

static const struct file_operations snap_fops = { /* expect: fops-missing-owner */
	.open = snap_open,
	.release = snap_release,
	.llseek = default_llseek,
};

void snap_debugfs_init(struct dentry *root)
{
	debugfs_create_file("snapshot", 0400, root, NULL, &snap_fops);
}
