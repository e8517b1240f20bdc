/* Tables without .owner in the shapes sever fix handles (fixture, not kernel code). */
#include <linux/debugfs.h>
#include <linux/module.h>

MODULE_LICENSE("GPL");

static int fix_release(struct inode *inode, struct file *file)
{
	return 0;
}

static ssize_t fix_read(struct file *file, char *buf, size_t len, loff_t *ppos)
{
	return 0;
}

/* Fixed: the new field is aligned like the others, with tabs. */
static const struct file_operations fix_aligned_fops = {
	.read		= fix_read,
	.release	= fix_release,
};

/* Fixed: an initializer on one line gets the field in front of the first. */
static const struct file_operations fix_inline_fops = { .read = fix_read };

/* Left: with the field in front, the line would pass checkpatch's 100 columns. */
static const struct file_operations fix_long_fops = { .read = fix_read, .release = fix_release };

#define FIX_FOPS(name)						\
static const struct file_operations name = {			\
	.release = fix_release,					\
}

#define FIX_OWNED_FOPS(name)					\
static const struct file_operations name = {			\
	.owner = THIS_MODULE,					\
	.release = fix_release,					\
}

#define FIX_BARE_FOPS(name)					\
static const struct file_operations name = {			\
	.read = fix_read,					\
	.release = fix_release,					\
}

/* Fixed: the file's variant of the macro that sets the owner is used instead. */
FIX_FOPS(fix_macro_fops);

/* Left: the macro has no owner parameter and no variant that sets it. */
FIX_BARE_FOPS(fix_bare_fops);

/* Left: the first field is under a preprocessor condition. */
static const struct file_operations fix_conditional_fops = {
#ifdef CONFIG_DEMO_READ
	.read = fix_read,
#endif
	.release = fix_release,
};

int fix_owner_init(struct dentry *dir)
{
	debugfs_create_file("aligned", 0444, dir, NULL, &fix_aligned_fops);
	debugfs_create_file("inline", 0444, dir, NULL, &fix_inline_fops);
	debugfs_create_file("long", 0444, dir, NULL, &fix_long_fops);
	debugfs_create_file("macro", 0444, dir, NULL, &fix_macro_fops);
	debugfs_create_file("bare", 0444, dir, NULL, &fix_bare_fops);
	debugfs_create_file("conditional", 0444, dir, NULL, &fix_conditional_fops);
	return 0;
}
