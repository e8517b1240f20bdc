/* misc devices as fixtures need them. */
#ifndef FIXTURE_MISCDEVICE_H
#define FIXTURE_MISCDEVICE_H
#include <linux/fs.h>
struct miscdevice {
	int minor;
	const char *name;
	const struct file_operations *fops;
};
int misc_register(struct miscdevice *misc);
void misc_deregister(struct miscdevice *misc);
#define MISC_DYNAMIC_MINOR 255
#endif
