/* Release uses only file->private_data, taken at open while debugfs protected i_private. */
#include <linux/debugfs.h>
#include <linux/slab.h>
MODULE_LICENSE("GPL");

struct adapter { int id; };

static int dump_open(struct inode *inode, struct file *file)
{
	struct adapter *ad = inode->i_private;

	file->private_data = kmemdup(ad, sizeof(*ad), GFP_KERNEL);
	return file->private_data ? 0 : -ENOMEM;
}

static int dump_release(struct inode *inode, struct file *file)
{
	kfree(file->private_data);
	return 0;
}

static const struct file_operations dump_fops = {
	.owner = THIS_MODULE,
	.open = dump_open,
	.release = dump_release,
};

void adapter_debugfs(struct adapter *ad, struct dentry *root)
{
	debugfs_create_file("dump", 0400, root, ad, &dump_fops);
}
