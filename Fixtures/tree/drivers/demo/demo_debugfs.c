/* debugfs files with and without .owner, and macro-made tables (fixture, not kernel code). */
#include <linux/debugfs.h>
#include <linux/seq_file.h>

static int demo_state_show(struct seq_file *m, void *v)
{
	return seq_printf(m, "on\n");
}
DEFINE_SHOW_ATTRIBUTE(demo_state);

static int demo_value_get(void *data, u64 *val)
{
	*val = 42;
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(demo_value_fops, demo_value_get, NULL, "%llu\n");

static int demo_raw_release(struct inode *inode, struct file *file)
{
	return 0;
}

static const struct file_operations demo_raw_fops = {
	.release = demo_raw_release,
};

static const struct file_operations demo_owned_fops = {
	.owner = THIS_MODULE,
	.release = demo_raw_release,
};

void demo_debugfs_init(struct dentry *dir)
{
	debugfs_create_file("state", 0444, dir, NULL, &demo_state_fops);
	debugfs_create_file("value", 0444, dir, NULL, &demo_value_fops);
	debugfs_create_file("raw", 0444, dir, NULL, &demo_raw_fops);
	debugfs_create_file("owned", 0444, dir, NULL, &demo_owned_fops);
}
