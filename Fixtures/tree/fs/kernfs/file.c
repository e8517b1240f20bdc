/* A framework in miniature: kernfs dispatching its users' callbacks (fixture, not kernel code). */
#include <linux/kernfs.h>

static void demo_kernfs_release_file(struct kernfs_node *kn, struct kernfs_open_file *of)
{
	const struct kernfs_ops *ops = kn->attr.ops;

	if (ops->release && !of->released) {
		ops->release(of);
		of->released = true;
	}
}

static __poll_t demo_kernfs_fop_poll(struct file *filp, poll_table *wait)
{
	struct kernfs_open_file *of = filp->private_data;
	struct kernfs_node *kn = of->kn;
	__poll_t ret;

	if (!kernfs_get_active(kn))
		return EPOLLERR | EPOLLPRI;
	if (kn->attr.ops->poll)
		ret = kn->attr.ops->poll(of, wait);
	else
		ret = kernfs_generic_poll(of, wait);
	kernfs_put_active(kn);
	return ret;
}

static int demo_kernfs_fop_release(struct inode *inode, struct file *filp)
{
	struct kernfs_open_file *of = filp->private_data;

	demo_kernfs_release_file(of->kn, of);
	return 0;
}

const struct file_operations demo_kernfs_file_fops = {
	.poll		= demo_kernfs_fop_poll,
	.release	= demo_kernfs_fop_release,
};
