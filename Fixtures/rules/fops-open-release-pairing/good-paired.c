/* open allocates, frees on its own error path, and release frees: the K11 pattern. */
#include <linux/proc_fs.h>
#include <linux/slab.h>

struct iter { int pos; };
int iter_prepare(struct iter *it);

static int stat_open(struct inode *inode, struct file *file)
{
	struct iter *it = kzalloc(sizeof(*it), GFP_KERNEL);
	int err;

	if (!it)
		return -ENOMEM;
	file->private_data = it;
	err = iter_prepare(it);
	if (err) {
		kfree(it);
		return err;
	}
	return 0;
}

static int stat_release(struct inode *inode, struct file *file)
{
	kfree(file->private_data);
	return 0;
}

static const struct proc_ops stat_proc_ops = {
	.proc_open = stat_open,
	.proc_release = stat_release,
};
