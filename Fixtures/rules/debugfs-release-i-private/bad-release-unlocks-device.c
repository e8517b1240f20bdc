/* A debugfs release that takes the device from inode->i_private, freed after debugfs_remove (D2). */
#include <linux/debugfs.h>
#include <linux/slab.h>
MODULE_LICENSE("GPL");

struct adapter { int users; void *dump; };

static int dump_open(struct inode *inode, struct file *file)
{
	struct adapter *ad = inode->i_private;

	ad->users++;
	file->private_data = ad;
	return 0;
}

static int dump_release(struct inode *inode, struct file *file)
{
	struct adapter *ad = inode->i_private;

	kfree(ad->dump); /* expect: debugfs-release-i-private */
	ad->users--;
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
