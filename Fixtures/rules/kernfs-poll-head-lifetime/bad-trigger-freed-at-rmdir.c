/* A PSI-like trigger (before aff037078eca): its own waitqueue, freed by release at rmdir. */
#include <linux/cgroup-defs.h>
#include <linux/slab.h>

struct demo_trigger {
	wait_queue_head_t event_wait;
	int threshold;
};

struct demo_ctx {
	struct demo_trigger *trigger;
};

static struct demo_trigger *demo_trigger_create(int threshold)
{
	struct demo_trigger *t = kzalloc(sizeof(*t), GFP_KERNEL);

	if (!t)
		return NULL;
	t->threshold = threshold;
	init_waitqueue_head(&t->event_wait);
	return t;
}

static void demo_trigger_destroy(struct demo_trigger *t)
{
	if (!t)
		return;
	wake_up_pollfree(&t->event_wait);
	synchronize_rcu();
	kfree(t);
}

static __poll_t demo_trigger_poll(struct demo_trigger **tp, struct file *file, poll_table *pt)
{
	struct demo_trigger *t = *tp;

	if (!t)
		return EPOLLERR;
	poll_wait(file, &t->event_wait, pt); /* expect: kernfs-poll-head-lifetime */
	return 0;
}

static ssize_t demo_pressure_write(struct kernfs_open_file *of, char *buf, size_t n, loff_t off)
{
	struct demo_ctx *ctx = of->priv;

	ctx->trigger = demo_trigger_create(100);
	return ctx->trigger ? n : -ENOMEM;
}

static __poll_t demo_pressure_poll(struct kernfs_open_file *of, poll_table *pt)
{
	struct demo_ctx *ctx = of->priv;

	return demo_trigger_poll(&ctx->trigger, of->file, pt);
}

static void demo_pressure_release(struct kernfs_open_file *of)
{
	struct demo_ctx *ctx = of->priv;

	demo_trigger_destroy(ctx->trigger);
}

static struct cftype demo_files[] = {
	{
		.name = "demo.pressure",
		.write = demo_pressure_write,
		.poll = demo_pressure_poll,
		.release = demo_pressure_release,
	},
	{ }
};
