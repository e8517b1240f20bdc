/* kernfs as fixtures need it: nodes, open files, the ops table. */
#ifndef FIXTURE_KERNFS_H
#define FIXTURE_KERNFS_H
#include <linux/fs.h>
#include <linux/seq_file.h>
struct kernfs_ops;
struct kernfs_elem_attr { const struct kernfs_ops *ops; void *open; };
struct kernfs_node { const char *name; struct kernfs_elem_attr attr; int active; };
struct kernfs_open_file {
	struct kernfs_node *kn;
	struct file *file;
	struct seq_file *seq_file;
	void *priv;
	bool released;
	const struct vm_operations_struct *vm_ops;
};
struct kernfs_ops {
	int (*open)(struct kernfs_open_file *of);
	void (*release)(struct kernfs_open_file *of);
	int (*seq_show)(struct seq_file *sf, void *v);
	void *(*seq_start)(struct seq_file *sf, loff_t *ppos);
	void *(*seq_next)(struct seq_file *sf, void *v, loff_t *ppos);
	void (*seq_stop)(struct seq_file *sf, void *v);
	ssize_t (*read)(struct kernfs_open_file *of, char *buf, size_t bytes, loff_t off);
	size_t atomic_write_len;
	bool prealloc;
	ssize_t (*write)(struct kernfs_open_file *of, char *buf, size_t bytes, loff_t off);
	__poll_t (*poll)(struct kernfs_open_file *of, struct poll_table_struct *pt);
	int (*mmap)(struct kernfs_open_file *of, struct vm_area_struct *vma);
};
struct kernfs_node *kernfs_create_file(struct kernfs_node *parent, const char *name, umode_t mode,
				       loff_t size, const struct kernfs_ops *ops, void *priv);
__poll_t kernfs_generic_poll(struct kernfs_open_file *of, poll_table *pt);
void kernfs_notify(struct kernfs_node *kn);
void kernfs_break_active_protection(struct kernfs_node *kn);
void kernfs_unbreak_active_protection(struct kernfs_node *kn);
struct kernfs_node *kernfs_get_active(struct kernfs_node *kn);
bool kernfs_get_active_of(struct kernfs_open_file *of);
void kernfs_put_active(struct kernfs_node *kn);
#endif
