/* cgroup cftype as fixtures need it. */
#ifndef FIXTURE_CGROUP_DEFS_H
#define FIXTURE_CGROUP_DEFS_H
#include <linux/kernfs.h>
#define CFTYPE_NOT_ON_ROOT 1
struct cgroup { int id; };
struct cgroup_subsys { int id; };
struct cftype {
	char name[64];
	unsigned int flags;
	unsigned int file_offset;
	int (*open)(struct kernfs_open_file *of);
	void (*release)(struct kernfs_open_file *of);
	u64 (*read_u64)(struct cgroup *cgrp, struct cftype *cft);
	int (*seq_show)(struct seq_file *sf, void *v);
	ssize_t (*write)(struct kernfs_open_file *of, char *buf, size_t nbytes, loff_t off);
	__poll_t (*poll)(struct kernfs_open_file *of, struct poll_table_struct *pt);
};
int cgroup_add_dfl_cftypes(struct cgroup_subsys *ss, struct cftype *cfts);
struct cgroup *cgroup_kn_lock_live(struct kernfs_node *kn, bool drain_offline);
void cgroup_kn_unlock(struct kernfs_node *kn);
void cgroup_lock(void);
void cgroup_unlock(void);
#endif
