/* drivers/md/md.c's shape: set unloading, wake and wait until no poller is left, then remove. */
#include <linux/proc_fs.h>
MODULE_LICENSE("GPL");

static wait_queue_head_t events_wait;
static int events_unloading;

static __poll_t events_poll(struct file *file, poll_table *wait)
{
	if (events_unloading)
		return EPOLLIN | EPOLLERR | EPOLLPRI;
	poll_wait(file, &events_wait, wait);
	return EPOLLIN;
}

static const struct proc_ops events_proc_ops = {
	.proc_poll = events_poll,
};

int events_init(void)
{
	init_waitqueue_head(&events_wait);
	return proc_create("events", 0444, NULL, &events_proc_ops) ? 0 : -ENOMEM;
}

void events_exit(void)
{
	events_unloading = 1;
	while (waitqueue_active(&events_wait)) {
		wake_up(&events_wait);
		msleep(10);
	}
	remove_proc_entry("events", NULL);
}
module_exit(events_exit);
