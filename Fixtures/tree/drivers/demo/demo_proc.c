/* A procfs entry with a private waitqueue (fixture, not kernel code). */
#include <linux/proc_fs.h>
#include <linux/module.h>

static wait_queue_head_t demo_proc_wait;

static __poll_t demo_proc_poll(struct file *file, poll_table *pt)
{
	poll_wait(file, &demo_proc_wait, pt);
	return EPOLLIN;
}

static int demo_proc_release(struct inode *inode, struct file *file)
{
	return 0;
}

static const struct proc_ops demo_proc_ops = {
	.proc_poll	= demo_proc_poll,
	.proc_release	= demo_proc_release,
};

static int demo_proc_init(void)
{
	init_waitqueue_head(&demo_proc_wait);
	return proc_create("demo", 0444, NULL, &demo_proc_ops) ? 0 : -ENOMEM;
}

static void demo_proc_exit(void)
{
	remove_proc_entry("demo", NULL);
}

module_init(demo_proc_init);
module_exit(demo_proc_exit);
