/* Tables with .owner, and a debugfs table whose only callbacks are library code: nothing to pin. */
#include <linux/debugfs.h>
#include <linux/miscdevice.h>
#include <linux/seq_file.h>
MODULE_LICENSE("GPL");

static long ctl_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	return 0;
}

static const struct file_operations ctl_fops = {
	.owner = THIS_MODULE,
	.unlocked_ioctl = ctl_ioctl,
};

static struct miscdevice ctl_dev = {
	.minor = MISC_DYNAMIC_MINOR, .name = "ctl", .fops = &ctl_fops,
};

static const struct file_operations blob_fops = {
	.open = simple_open,
	.llseek = default_llseek,
};

int ctl_init(struct dentry *root)
{
	debugfs_create_file("blob", 0400, root, NULL, &blob_fops);
	return misc_register(&ctl_dev);
}
