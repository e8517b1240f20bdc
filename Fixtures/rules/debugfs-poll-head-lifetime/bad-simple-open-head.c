/* A debugfs file opened with simple_open (private_data = i_private); poll waits on a head in the
 * driver's object, which the driver frees after debugfs_remove() (D3). */
#include <linux/debugfs.h>
#include <linux/slab.h>
#include <linux/wait.h>
MODULE_LICENSE("GPL");

struct demo_mbox {
	wait_queue_head_t waitq;
	int rx_ready;
};

static __poll_t mbox_poll(struct file *filp, poll_table *wait)
{
	struct demo_mbox *mbox = filp->private_data;

	poll_wait(filp, &mbox->waitq, wait); /* expect: debugfs-poll-head-lifetime */
	return mbox->rx_ready ? EPOLLIN : 0;
}

static const struct file_operations mbox_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.poll = mbox_poll,
};

struct demo_mbox *mbox_probe(struct dentry *dir)
{
	struct demo_mbox *mbox = kzalloc(sizeof(*mbox), GFP_KERNEL);

	if (!mbox)
		return NULL;
	init_waitqueue_head(&mbox->waitq);
	debugfs_create_file("message", 0600, dir, mbox, &mbox_fops);
	return mbox;
}

void mbox_remove(struct dentry *dir, struct demo_mbox *mbox)
{
	debugfs_remove(dir);
	kfree(mbox);
}
