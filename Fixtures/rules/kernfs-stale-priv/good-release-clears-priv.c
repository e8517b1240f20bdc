/* The same write with 94a4acfec146 applied: release clears of->priv, so the re-check works. */
#include <linux/cgroup-defs.h>
#include <linux/slab.h>

struct demo_ctx {
	void *trigger;
};

int demo_start_worker(void);

static ssize_t demo_pressure_write(struct kernfs_open_file *of, char *buf, size_t n, loff_t off)
{
	struct demo_ctx *ctx;
	struct cgroup *cgrp;
	ssize_t ret = 0;

	cgrp = cgroup_kn_lock_live(of->kn, false);
	if (!cgrp)
		return -ENODEV;
	ctx = of->priv;
	if (!ctx) {
		ret = -ENODEV;
		goto out_unlock;
	}
	cgroup_unlock();
	ret = demo_start_worker();
	cgroup_lock();
	if (!ret && !of->priv)
		ret = -ENODEV;
	if (ret)
		goto out_unlock;
	ctx->trigger = buf;
out_unlock:
	cgroup_kn_unlock(of->kn);
	return ret ? ret : n;
}

static int demo_open(struct kernfs_open_file *of)
{
	of->priv = kzalloc(sizeof(struct demo_ctx), GFP_KERNEL);
	return of->priv ? 0 : -ENOMEM;
}

static void demo_release(struct kernfs_open_file *of)
{
	kfree(of->priv);
	of->priv = NULL;
}

static struct cftype demo_files[] = {
	{ .name = "demo.pressure", .open = demo_open, .write = demo_pressure_write,
	  .release = demo_release },
	{ }
};
