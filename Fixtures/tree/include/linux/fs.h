/* The VFS side: files, inodes, file_operations, mappings. */
#ifndef FIXTURE_FS_H
#define FIXTURE_FS_H
#include <linux/types.h>
#include <linux/module.h>
#include <linux/wait.h>
struct inode { void *i_private; };
struct file { void *private_data; const struct file_operations *f_op; };
struct poll_table_struct;
typedef struct poll_table_struct poll_table;
struct vm_fault;
struct vm_area_struct;
struct mempolicy;
struct vm_operations_struct {
	void (*open)(struct vm_area_struct *area);
	void (*close)(struct vm_area_struct *area);
	int (*fault)(struct vm_fault *vmf);
	int (*set_policy)(struct vm_area_struct *vma, struct mempolicy *new);
};
struct vm_area_struct { const struct vm_operations_struct *vm_ops; struct file *vm_file; };
struct file_operations {
	struct module *owner;
	loff_t (*llseek)(struct file *, loff_t, int);
	ssize_t (*read)(struct file *, char *, size_t, loff_t *);
	ssize_t (*write)(struct file *, const char *, size_t, loff_t *);
	__poll_t (*poll)(struct file *, poll_table *);
	long (*unlocked_ioctl)(struct file *, unsigned int, unsigned long);
	int (*mmap)(struct file *, struct vm_area_struct *);
	int (*open)(struct inode *, struct file *);
	int (*release)(struct inode *, struct file *);
};
void poll_wait(struct file *filp, wait_queue_head_t *head, poll_table *p);
struct inode *file_inode(const struct file *f);
struct file *get_file(struct file *f);
void fput(struct file *file);
int register_chrdev(unsigned int major, const char *name, const struct file_operations *fops);
void unregister_chrdev(unsigned int major, const char *name);
int simple_open(struct inode *inode, struct file *file);
struct file *get_file(struct file *f);
void fput(struct file *f);
loff_t default_llseek(struct file *file, loff_t offset, int whence);
#endif
