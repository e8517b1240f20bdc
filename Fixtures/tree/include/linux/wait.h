/* Wait queues, as fixtures need them. */
#ifndef FIXTURE_WAIT_H
#define FIXTURE_WAIT_H
typedef struct wait_queue_head { int lock; void *head; } wait_queue_head_t;
void init_waitqueue_head(wait_queue_head_t *wq);
void wake_up_interruptible(wait_queue_head_t *wq);
void wake_up_pollfree(wait_queue_head_t *wq);
void synchronize_rcu(void);
#endif
