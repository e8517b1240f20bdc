/* A kernfs open that fails after storing of->priv and frees nothing: release is not called (K11). */
#include <linux/kernfs.h>
#include <linux/slab.h>

struct iter { int pos; };
int iter_prepare(struct iter *it);

static int list_open(struct kernfs_open_file *of)
{
	struct iter *it = kzalloc(sizeof(*it), GFP_KERNEL);
	int err;

	if (!it)
		return -ENOMEM;
	of->priv = it;
	err = iter_prepare(it);
	if (err) /* expect: fops-open-release-pairing */
		return err;
	return 0;
}

static void list_release(struct kernfs_open_file *of)
{
	kfree(of->priv);
}

const struct kernfs_ops list_ops = {
	.open = list_open,
	.release = list_release,
};
