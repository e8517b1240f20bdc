/* Character devices as fixtures need them. */
#ifndef FIXTURE_CDEV_H
#define FIXTURE_CDEV_H
#include <linux/fs.h>
struct cdev {
	struct module *owner;
	const struct file_operations *ops;
};
void cdev_init(struct cdev *cdev, const struct file_operations *fops);
int cdev_add(struct cdev *cdev, dev_t dev, unsigned int count);
void cdev_del(struct cdev *cdev);
#endif
