import SeverCore

/// C examples for `CallAfterReleaseRule`: the rejected `kernfs_ops.free` (2023) and the kernfs
/// released-file check (3c9ba2777d6c, 2025).
enum CallAfterReleaseExamples {
  static let triggering: [Example] = [
    // A hook called at last fput, as Suren's v1 kernfs_ops.free was.
    Example(
      """
      struct kernfs_open_file { void *priv; };
      struct kernfs_ops {
      \tint (*open)(struct kernfs_open_file *of);
      \tvoid (*release)(struct kernfs_open_file *of);
      \tvoid (*free)(struct kernfs_open_file *of);
      };
      struct kernfs_node { const struct kernfs_ops *ops; };
      struct inode;
      struct file { struct kernfs_open_file *of; struct kernfs_node *kn; };
      struct file_operations { int (*release)(struct inode *, struct file *); };

      static int fop_release(struct inode *inode, struct file *file)
      {
      \tconst struct kernfs_ops *ops = file->kn->ops;

      \tif (ops->free)
      \t\t↓ops->free(file->of);
      \treturn 0;
      }

      const struct file_operations demo_file_fops = { .release = fop_release };
      """),
    // An op dispatched under kernfs_get_active(), which a re-shown node grants again (as
    // kernfs_fop_poll did before 3c9ba2777d6c; like it, the file names the ops type).
    Example(
      """
      #include <linux/kernfs.h>

      static __poll_t demo_fop_poll(struct file *filp, poll_table *wait)
      {
      \tstruct kernfs_open_file *of = filp->private_data;
      \tconst struct kernfs_ops *ops;
      \t__poll_t ret = EPOLLERR;

      \tif (kernfs_get_active(of->kn)) {
      \t\tops = of->kn->attr.ops;
      \t\tret = ↓ops->poll(of, wait);
      \t\tkernfs_put_active(of->kn);
      \t}
      \treturn ret;
      }
      """),
    // kernfs calling the user's vm_ops kept in of->vm_ops, under kernfs_get_active() (6.1's
    // kernfs_vma_set_policy after the 3c9ba2777d6c backport left it out).
    Example(
      """
      #include <linux/kernfs.h>

      static int demo_vma_set_policy(struct vm_area_struct *vma, struct mempolicy *new)
      {
      \tstruct kernfs_open_file *of = vma->vm_file->private_data;
      \tint ret = 0;

      \tif (!of->vm_ops)
      \t\treturn 0;
      \tif (!kernfs_get_active(of->kn))
      \t\treturn -EINVAL;
      \tif (of->vm_ops->set_policy)
      \t\tret = ↓of->vm_ops->set_policy(vma, new);
      \tkernfs_put_active(of->kn);
      \treturn ret;
      }

      static const struct kernfs_ops demo_ops = { .open = 0 };
      """),
  ]

  static let nonTriggering: [Example] = [
    // kernfs itself: release at last fput, once, and nothing else.
    Example(
      """
      #include <linux/kernfs.h>

      static int demo_fop_release(struct inode *inode, struct file *filp)
      {
      \tstruct kernfs_open_file *of = filp->private_data;

      \tif (of->kn->attr.ops->release && !of->released)
      \t\tof->kn->attr.ops->release(of);
      \treturn 0;
      }

      const struct file_operations demo_file_fops = { .release = demo_fop_release };
      """),
    // The user's vm_ops called under kernfs_get_active_of(), as kernfs_vma_fault does.
    Example(
      """
      #include <linux/kernfs.h>

      static int demo_vma_set_policy(struct vm_area_struct *vma, struct mempolicy *new)
      {
      \tstruct kernfs_open_file *of = vma->vm_file->private_data;
      \tint ret = 0;

      \tif (!of->vm_ops)
      \t\treturn 0;
      \tif (!kernfs_get_active_of(of))
      \t\treturn -EINVAL;
      \tif (of->vm_ops->set_policy)
      \t\tret = of->vm_ops->set_policy(vma, new);
      \tkernfs_put_active(of->kn);
      \treturn ret;
      }

      static const struct kernfs_ops demo_ops = { .open = 0 };
      """),
    // Ops guarded by kernfs_get_active_of(), which refuses released files.
    Example(
      """
      #include <linux/kernfs.h>

      static __poll_t demo_fop_poll(struct file *filp, poll_table *wait)
      {
      \tstruct kernfs_open_file *of = filp->private_data;
      \tconst struct kernfs_ops *ops;
      \t__poll_t ret = EPOLLERR;

      \tif (kernfs_get_active_of(of)) {
      \t\tops = of->kn->attr.ops;
      \t\tret = ops->poll(of, wait);
      \t\tkernfs_put_active(of->kn);
      \t}
      \treturn ret;
      }
      """),
  ]
}
