/* A PSI-like cftype array, compiled only through build_wrapper.c (fixture, not kernel code). */
struct demo_trigger {
	wait_queue_head_t event_wait;
	struct kernfs_open_file *of;
};

static ssize_t demo_pressure_write(struct kernfs_open_file *of, char *buf, size_t nbytes,
				   loff_t off)
{
	struct demo_trigger *t = kzalloc(sizeof(*t), GFP_KERNEL);

	if (!t)
		return -ENOMEM;
	init_waitqueue_head(&t->event_wait);
	of->priv = t;
	return nbytes;
}

static __poll_t demo_pressure_poll(struct kernfs_open_file *of, poll_table *pt)
{
	struct demo_trigger *t = of->priv;

	poll_wait(of->file, &t->event_wait, pt);
	return 0;
}

static void demo_pressure_release(struct kernfs_open_file *of)
{
	kfree(of->priv);
}

static int demo_pressure_show(struct seq_file *sf, void *v)
{
	return seq_printf(sf, "some avg10=0.00\n");
}

static struct cftype demo_pressure_files[] = {
	{
		.name = "demo.pressure",
		.flags = CFTYPE_NOT_ON_ROOT,
		.seq_show = demo_pressure_show,
		.write = demo_pressure_write,
		.poll = demo_pressure_poll,
		.release = demo_pressure_release,
	},
	{ }	/* terminate */
};

static struct cgroup_subsys demo_cpu_subsys;

int demo_pressure_init(void)
{
	return cgroup_add_dfl_cftypes(&demo_cpu_subsys, demo_pressure_files);
}
