/* A kernfs mmap whose vm_ops have no ->close and which maps the kernfs file itself (K14, K15). */
#include <linux/kernfs.h>

static int ring_fault(struct vm_fault *vmf)
{
	return 0;
}

static const struct vm_operations_struct ring_vm_ops = {
	.fault = ring_fault,
};

static int ring_mmap(struct kernfs_open_file *of, struct vm_area_struct *vma)
{
	vma->vm_ops = &ring_vm_ops;
	return 0;
}

const struct kernfs_ops ring_ops = {
	.mmap = ring_mmap,
};
