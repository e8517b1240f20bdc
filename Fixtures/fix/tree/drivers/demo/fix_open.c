/* Opens that fail after allocating their per-file state (fixture, not kernel code). */
#include <linux/debugfs.h>
#include <linux/module.h>
#include <linux/slab.h>

MODULE_LICENSE("GPL");

struct fix_state {
	int value;
};

int fix_hw_start(void *hw);
void fix_log(const char *what);

/* Fixed: the lone return gets braces and a kfree. */
static int fix_lone_open(struct inode *inode, struct file *file)
{
	struct fix_state *state;
	int ret;

	state = kzalloc(sizeof(*state), GFP_KERNEL);
	if (!state)
		return -ENOMEM;
	file->private_data = state;
	ret = fix_hw_start(inode->i_private);
	if (ret)
		return ret;
	return 0;
}

/* Fixed: the braced branch gets a kfree before its return. */
static int fix_braced_open(struct inode *inode, struct file *file)
{
	struct fix_state *state = kzalloc(sizeof(*state), GFP_KERNEL);
	int ret;

	if (!state)
		return -ENOMEM;
	file->private_data = state;
	ret = fix_hw_start(inode->i_private);
	if (ret) {
		fix_log("start failed");
		return ret;
	}
	return 0;
}

/* Left: the open unwinds through a goto ladder. */
static int fix_ladder_open(struct inode *inode, struct file *file)
{
	struct fix_state *state = kzalloc(sizeof(*state), GFP_KERNEL);
	int ret;

	if (!state)
		return -ENOMEM;
	file->private_data = state;
	ret = fix_hw_start(inode->i_private);
	if (ret)
		goto out;
	return 0;
out:
	return ret;
}

static int fix_state_release(struct inode *inode, struct file *file)
{
	kfree(file->private_data);
	return 0;
}

static const struct file_operations fix_lone_fops = {
	.owner = THIS_MODULE,
	.open = fix_lone_open,
	.release = fix_state_release,
};

static const struct file_operations fix_braced_fops = {
	.owner = THIS_MODULE,
	.open = fix_braced_open,
	.release = fix_state_release,
};

static const struct file_operations fix_ladder_fops = {
	.owner = THIS_MODULE,
	.open = fix_ladder_open,
	.release = fix_state_release,
};

int fix_open_init(struct dentry *dir)
{
	debugfs_create_file("lone", 0444, dir, NULL, &fix_lone_fops);
	debugfs_create_file("braced", 0444, dir, NULL, &fix_braced_fops);
	debugfs_create_file("ladder", 0444, dir, NULL, &fix_ladder_fops);
	return 0;
}
