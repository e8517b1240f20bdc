/* register_chrdev and anon_inode_getfd tables of a module without .owner: ops run after rmmod (M1). */
#include <linux/anon_inodes.h>
MODULE_LICENSE("GPL");

static long ctl_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	return 0;
}

static const struct file_operations ctl_fops = { /* expect: fops-missing-owner */
	.unlocked_ioctl = ctl_ioctl,
};

static __poll_t event_poll(struct file *file, poll_table *wait)
{
	return EPOLLIN;
}

static const struct file_operations event_fops = { /* expect: fops-missing-owner */
	.poll = event_poll,
};

int ctl_init(void)
{
	return register_chrdev(0, "ctl", &ctl_fops);
}

int event_fd(void *ctx)
{
	return anon_inode_getfd("[event]", &event_fops, ctx, 0);
}
