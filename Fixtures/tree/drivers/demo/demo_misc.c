/* A misc device whose fops reach open() through struct miscdevice (fixture, not kernel code). */
#include <linux/miscdevice.h>

static int demo_misc_open(struct inode *inode, struct file *file)
{
	return 0;
}

static const struct file_operations demo_misc_fops = {
	.owner = THIS_MODULE,
	.open = demo_misc_open,
};

static struct miscdevice demo_misc = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "demo",
	.fops = &demo_misc_fops,
};

int demo_misc_init(void)
{
	return misc_register(&demo_misc);
}
