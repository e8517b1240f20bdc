/* sysfs attributes of devices as fixtures need them. */
#ifndef FIXTURE_DEVICE_H
#define FIXTURE_DEVICE_H
#include <linux/fs.h>
struct device;
struct kobject;
struct attribute { const char *name; umode_t mode; };
struct device_attribute {
	struct attribute attr;
	ssize_t (*show)(struct device *dev, struct device_attribute *attr, char *buf);
	ssize_t (*store)(struct device *dev, struct device_attribute *attr, const char *buf,
			 size_t count);
};
struct bin_attribute {
	struct attribute attr;
	size_t size;
	ssize_t (*read)(struct file *, struct kobject *, struct bin_attribute *, char *, loff_t,
			size_t);
	int (*mmap)(struct file *, struct kobject *, struct bin_attribute *attr,
		    struct vm_area_struct *vma);
};
int device_create_file(struct device *dev, const struct device_attribute *attr);
int sysfs_create_bin_file(struct kobject *kobj, const struct bin_attribute *attr);
#define DEVICE_ATTR_RO(_name) \
	struct device_attribute dev_attr_##_name = { .attr = { .name = #_name, .mode = 0444 }, \
						     .show = _name##_show }
#endif
