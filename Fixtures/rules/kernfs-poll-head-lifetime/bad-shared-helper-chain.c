/* Two kernfs tables whose releases free of->priv through one helper chain, reached at different
 * depths: r2 frees within the analysis depth (flagged), r1 only nine functions down (beyond it).
 * The answer must not depend on which table is defined first (issue: per-function results once
 * cached under a depth budget and reused at any depth). */
#include <linux/kernfs.h>
#include <linux/slab.h>

struct demo_ctx {
	wait_queue_head_t wait;
};

static void c9(struct demo_ctx *p) { kfree(p); }
static void c8(struct demo_ctx *p) { c9(p); }
static void c7(struct demo_ctx *p) { c8(p); }
static void c6(struct demo_ctx *p) { c7(p); }
static void c5(struct demo_ctx *p) { c6(p); }
static void c4(struct demo_ctx *p) { c5(p); }
static void c3(struct demo_ctx *p) { c4(p); }
static void c2(struct demo_ctx *p) { c3(p); }
static void c1(struct demo_ctx *p) { c2(p); }

static void r1(struct kernfs_open_file *of) { c1(of->priv); }

static __poll_t p1(struct kernfs_open_file *of, poll_table *pt)
{
	struct demo_ctx *ctx = of->priv;

	poll_wait(of->file, &ctx->wait, pt);
	return 0;
}

static const struct kernfs_ops t1 = { .release = r1, .poll = p1 };

static void r2(struct kernfs_open_file *of) { c7(of->priv); }

static __poll_t p2(struct kernfs_open_file *of, poll_table *pt)
{
	struct demo_ctx *ctx = of->priv;

	poll_wait(of->file, &ctx->wait, pt); /* expect: kernfs-poll-head-lifetime */
	return 0;
}

static const struct kernfs_ops t2 = { .release = r2, .poll = p2 };
