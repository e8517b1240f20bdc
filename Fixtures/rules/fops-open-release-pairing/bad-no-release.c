/* A misc device whose open allocates file->private_data and whose fops have no release (K11). */
#include <linux/miscdevice.h>
#include <linux/slab.h>
MODULE_LICENSE("GPL");

struct session { int id; };

static int sess_open(struct inode *inode, struct file *file)
{
	struct session *s = kzalloc(sizeof(*s), GFP_KERNEL);

	if (!s)
		return -ENOMEM;
	file->private_data = s; /* expect: fops-open-release-pairing */
	return 0;
}

static const struct file_operations sess_fops = {
	.owner = THIS_MODULE,
	.open = sess_open,
};

static struct miscdevice sess_dev = {
	.minor = MISC_DYNAMIC_MINOR, .name = "sess", .fops = &sess_fops,
};

int sess_init(void)
{
	return misc_register(&sess_dev);
}
