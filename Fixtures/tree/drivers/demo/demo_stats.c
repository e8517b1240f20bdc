/*
 * A debugfs file whose open pins the object it is given through a helper defined in
 * demo_core.c, and whose release drops it (fixture, not kernel code).
 */
#include <linux/debugfs.h>
#include "demo_core.h"

static int demo_stats_open(struct inode *inode, struct file *file)
{
	struct demo_core *core = inode->i_private;

	demo_core_get(core);
	file->private_data = core;
	return 0;
}

static int demo_stats_release(struct inode *inode, struct file *file)
{
	struct demo_core *core = inode->i_private;

	core->stats = 0;
	demo_core_put(core);
	return 0;
}

static const struct file_operations demo_stats_fops = {
	.owner = THIS_MODULE,
	.open = demo_stats_open,
	.release = demo_stats_release,
};

void demo_stats_init(struct dentry *dir, struct demo_core *core)
{
	debugfs_create_file("stats", 0444, dir, core, &demo_stats_fops);
}
