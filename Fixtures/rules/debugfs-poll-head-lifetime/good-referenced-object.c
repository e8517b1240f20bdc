/* The open takes a reference on the driver's object and the release drops it, so the head
 * inside it outlives every poller of the file. */
#include <linux/debugfs.h>
#include <linux/refcount.h>
#include <linux/slab.h>
#include <linux/wait.h>
MODULE_LICENSE("GPL");

struct demo_stats {
	struct kref ref;
	wait_queue_head_t queue;
	int fresh;
};

static void stats_free(struct kref *ref)
{
	kfree(ref);
}

static int stats_open(struct inode *inode, struct file *file)
{
	struct demo_stats *stats = inode->i_private;

	kref_get(&stats->ref);
	file->private_data = stats;
	return 0;
}

static __poll_t stats_poll(struct file *file, poll_table *wait)
{
	struct demo_stats *stats = file->private_data;

	poll_wait(file, &stats->queue, wait);
	return stats->fresh ? EPOLLIN : 0;
}

static int stats_release(struct inode *inode, struct file *file)
{
	struct demo_stats *stats = file->private_data;

	kref_put(&stats->ref, stats_free);
	return 0;
}

static const struct file_operations stats_fops = {
	.owner = THIS_MODULE,
	.open = stats_open,
	.poll = stats_poll,
	.release = stats_release,
};

void stats_init(struct dentry *dir, struct demo_stats *stats)
{
	debugfs_create_file("stats", 0400, dir, stats, &stats_fops);
}
