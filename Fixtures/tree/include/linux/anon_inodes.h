/* Anonymous inodes as fixtures need them. */
#ifndef FIXTURE_ANON_INODES_H
#define FIXTURE_ANON_INODES_H
#include <linux/fs.h>
int anon_inode_getfd(const char *name, const struct file_operations *fops, void *priv,
		     int flags);
struct file *anon_inode_getfile(const char *name, const struct file_operations *fops,
				void *priv, int flags);
#endif
