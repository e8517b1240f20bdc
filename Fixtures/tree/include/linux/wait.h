/* Wait queues, as fixtures need them. */
#ifndef FIXTURE_WAIT_H
#define FIXTURE_WAIT_H
typedef struct wait_queue_head { int lock; void *head; } wait_queue_head_t;
void init_waitqueue_head(wait_queue_head_t *wq);
void wake_up_interruptible(wait_queue_head_t *wq);
void wake_up_pollfree(wait_queue_head_t *wq);
void synchronize_rcu(void);
void __wake_up(wait_queue_head_t *wq, unsigned int mode, int nr, void *key);
#define wake_up(x) __wake_up(x, 3, 1, (void *)0)
void wake_up_all(wait_queue_head_t *wq);
int waitqueue_active(wait_queue_head_t *wq);
void msleep(unsigned int msecs);
#endif
