/* Reference counts, as fixtures need them (written for sever, not copied). */
#ifndef FIXTURE_REFCOUNT_H
#define FIXTURE_REFCOUNT_H
#include <linux/types.h>
typedef struct { int refs; } refcount_t;
bool refcount_inc_not_zero(refcount_t *r);
void refcount_inc(refcount_t *r);
bool refcount_dec_and_test(refcount_t *r);
struct kref { refcount_t refcount; };
void kref_init(struct kref *kref);
void kref_get(struct kref *kref);
int kref_get_unless_zero(struct kref *kref);
int kref_put(struct kref *kref, void (*release)(struct kref *kref));
struct device;
int pm_runtime_get_sync(struct device *dev);
int pm_runtime_put(struct device *dev);
#endif
