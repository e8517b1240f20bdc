/* A release that frees a list recursively: the head's object is freed by a function that calls
 * itself, so its summary is a fixpoint over a cycle of the call graph. */
#include <linux/kernfs.h>
#include <linux/slab.h>

struct demo_node {
	struct demo_node *next;
	wait_queue_head_t wait;
};

static void demo_free_chain(struct demo_node *n)
{
	if (!n)
		return;
	demo_free_chain(n->next);
	kfree(n);
}

static void demo_release(struct kernfs_open_file *of)
{
	demo_free_chain(of->priv);
}

static __poll_t demo_poll(struct kernfs_open_file *of, poll_table *pt)
{
	struct demo_node *n = of->priv;

	poll_wait(of->file, &n->wait, pt); /* expect: kernfs-poll-head-lifetime */
	return 0;
}

static const struct kernfs_ops demo_ops = { .release = demo_release, .poll = demo_poll };
