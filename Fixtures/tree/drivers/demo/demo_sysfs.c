/* sysfs attributes made by a macro, and a bin_attribute (fixture, not kernel code). */
#include <linux/device.h>

static ssize_t level_show(struct device *dev, struct device_attribute *attr, char *buf)
{
	return 0;
}
static DEVICE_ATTR_RO(level);

static int demo_bin_mmap(struct file *file, struct kobject *kobj, struct bin_attribute *attr,
			 struct vm_area_struct *vma)
{
	return 0;
}

static struct bin_attribute demo_bin = {
	.attr = { .name = "demo_bin", .mode = 0600 },
	.size = 4096,
	.mmap = demo_bin_mmap,
};

int demo_sysfs_init(struct device *dev, struct kobject *kobj)
{
	int ret = device_create_file(dev, &dev_attr_level);

	return ret ? ret : sysfs_create_bin_file(kobj, &demo_bin);
}
