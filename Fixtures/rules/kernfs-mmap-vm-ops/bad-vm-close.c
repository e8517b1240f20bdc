/* A sysfs bin_attribute mmap installing vm_ops with ->close: kernfs refuses the mapping (K14, S2). */
#include <linux/device.h>
MODULE_LICENSE("GPL");

static void ring_vma_close(struct vm_area_struct *vma)
{
}

static const struct vm_operations_struct ring_vm_ops = {
	.close = ring_vma_close,
};

static void ring_install(struct vm_area_struct *vma)
{
	vma->vm_ops = &ring_vm_ops; /* expect: kernfs-mmap-vm-ops */
}

static int ring_mmap(struct file *file, struct kobject *kobj, struct bin_attribute *attr,
		     struct vm_area_struct *vma)
{
	ring_install(vma);
	return 0;
}

static struct bin_attribute ring_attr = {
	.attr = { .name = "ring", .mode = 0600 },
	.mmap = ring_mmap,
};
