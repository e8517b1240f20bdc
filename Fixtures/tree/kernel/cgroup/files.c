/* cgroup's own kernfs_ops multiplexing cftype callbacks (fixture, not kernel code). */
#include <linux/cgroup-defs.h>
#include <linux/slab.h>

struct demo_file_ctx { int state; };

static int demo_cgroup_file_open(struct kernfs_open_file *of)
{
	struct cftype *cft = of->kn->attr.open;
	struct demo_file_ctx *ctx = kzalloc(sizeof(*ctx), GFP_KERNEL);

	if (!ctx)
		return -ENOMEM;
	of->priv = ctx;
	if (cft->open)
		return cft->open(of);
	return 0;
}

static void demo_cgroup_file_release(struct kernfs_open_file *of)
{
	struct cftype *cft = of->kn->attr.open;

	if (cft->release)
		cft->release(of);
	kfree(of->priv);
	of->priv = NULL;
}

static __poll_t demo_cgroup_file_poll(struct kernfs_open_file *of, poll_table *pt)
{
	struct cftype *cft = of->kn->attr.open;

	if (cft->poll)
		return cft->poll(of, pt);
	return kernfs_generic_poll(of, pt);
}

static struct kernfs_ops demo_cgroup_kf_ops = {
	.atomic_write_len	= 4096,
	.open			= demo_cgroup_file_open,
	.release		= demo_cgroup_file_release,
	.poll			= demo_cgroup_file_poll,
};

const struct kernfs_ops *demo_cgroup_ops(void)
{
	return &demo_cgroup_kf_ops;
}
