/* A kernfs user with open, release and a safe poll (fixture, not kernel code). */
#include <linux/kernfs.h>
#include <linux/slab.h>

static int demo_open(struct kernfs_open_file *of)
{
	of->priv = kzalloc(64, GFP_KERNEL);
	return of->priv ? 0 : -ENOMEM;
}

static void demo_release(struct kernfs_open_file *of)
{
	kfree(of->priv);
	of->priv = NULL;
}

static int demo_show(struct seq_file *sf, void *v)
{
	return seq_printf(sf, "demo\n");
}

static __poll_t demo_poll(struct kernfs_open_file *of, poll_table *pt)
{
	return kernfs_generic_poll(of, pt);
}

static const struct kernfs_ops demo_kf_ops = {
	.open		= demo_open,
	.release	= demo_release,
	.seq_show	= demo_show,
	.poll		= demo_poll,
};

int demo_kernfs_init(struct kernfs_node *parent)
{
	struct kernfs_node *kn = kernfs_create_file(parent, "demo", 0444, 0, &demo_kf_ops, NULL);

	return kn ? 0 : -ENOMEM;
}
