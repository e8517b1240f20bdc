/* A module's proc_poll on a static waitqueue; exit wakes but removes the entry without draining (P2). */
#include <linux/proc_fs.h>
MODULE_LICENSE("GPL");

static wait_queue_head_t events_wait;

static __poll_t events_poll(struct file *file, poll_table *wait)
{
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
	wake_up_all(&events_wait);
	remove_proc_entry("events", NULL); /* expect: procfs-poll-exit-drain */
}
module_exit(events_exit);
