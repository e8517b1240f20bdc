/* Stale copies of of->priv in kernfs files of cgroup (fixture, not kernel code). */
#include <linux/cgroup-defs.h>
#include <linux/slab.h>

struct fix_ctx {
	void *trigger;
};

int fix_slow_setup(void);

/* Fixed: the re-check of of->priv works once the release clears it. */
static ssize_t fix_recheck_write(struct kernfs_open_file *of, char *buf, size_t n, loff_t off)
{
	struct fix_ctx *ctx;

	if (!cgroup_kn_lock_live(of->kn, false))
		return -ENODEV;
	ctx = of->priv;
	if (!ctx)
		goto out;
	cgroup_unlock();
	fix_slow_setup();
	cgroup_lock();
	if (!of->priv)
		goto out;
	ctx->trigger = buf;
out:
	cgroup_kn_unlock(of->kn);
	return n;
}

static void fix_recheck_release(struct kernfs_open_file *of)
{
	struct fix_ctx *ctx = of->priv;

	kfree(ctx);
}

static const struct kernfs_ops fix_recheck_ops = {
	.write		= fix_recheck_write,
	.release	= fix_recheck_release,
};

/* Left: the copy is never read again under the lock, a redesign. */
static ssize_t fix_stale_write(struct kernfs_open_file *of, char *buf, size_t n, loff_t off)
{
	struct fix_ctx *ctx = of->priv;
	struct cgroup *cgrp = cgroup_kn_lock_live(of->kn, false);

	if (!cgrp)
		return -ENODEV;
	ctx->trigger = buf;
	cgroup_kn_unlock(of->kn);
	return n;
}

static void fix_stale_release(struct kernfs_open_file *of)
{
	kfree(of->priv);
}

static const struct kernfs_ops fix_stale_ops = {
	.write		= fix_stale_write,
	.release	= fix_stale_release,
};

const struct kernfs_ops *fix_ops(int which)
{
	return which ? &fix_recheck_ops : &fix_stale_ops;
}
