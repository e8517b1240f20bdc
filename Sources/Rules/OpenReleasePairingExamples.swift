import SeverCore

/// C examples for `OpenReleasePairingRule` (K11).
enum OpenReleasePairingExamples {
  static let triggering: [Example] = [
    // kernfs: open allocates of->priv, and the ops have no release.
    Example(
      """
      #include <linux/kernfs.h>
      #include <linux/slab.h>

      static int demo_open(struct kernfs_open_file *of)
      {
      \t↓of->priv = kzalloc(32, GFP_KERNEL);
      \treturn of->priv ? 0 : -ENOMEM;
      }

      static int demo_show(struct seq_file *sf, void *v)
      {
      \treturn 0;
      }

      const struct kernfs_ops demo_ops = {
      \t.open = demo_open,
      \t.seq_show = demo_show,
      };
      """),
    // A character device whose open fails after the allocation without freeing it.
    Example(
      """
      #include <linux/fs.h>
      #include <linux/slab.h>
      struct demo_ctx { int id; };
      int demo_attach(struct demo_ctx *ctx);

      static int demo_open(struct inode *inode, struct file *file)
      {
      \tstruct demo_ctx *ctx = kzalloc(sizeof(*ctx), GFP_KERNEL);
      \tint ret;

      \tif (!ctx)
      \t\treturn -ENOMEM;
      \tfile->private_data = ctx;
      \tret = demo_attach(ctx);
      \tif (↓ret)
      \t\treturn ret;
      \treturn 0;
      }

      static int demo_release(struct inode *inode, struct file *file)
      {
      \tkfree(file->private_data);
      \treturn 0;
      }

      static const struct file_operations demo_fops = {
      \t.owner = THIS_MODULE,
      \t.open = demo_open,
      \t.release = demo_release,
      };
      """),
  ]

  static let nonTriggering: [Example] = [
    // cgroup_file_open's shape: allocate, call out, free on error; release frees.
    Example(
      """
      #include <linux/fs.h>
      #include <linux/slab.h>
      struct demo_ctx { int id; };
      int demo_attach(struct demo_ctx *ctx);

      static int demo_open(struct inode *inode, struct file *file)
      {
      \tstruct demo_ctx *ctx = kzalloc(sizeof(*ctx), GFP_KERNEL);
      \tint ret;

      \tif (!ctx)
      \t\treturn -ENOMEM;
      \tfile->private_data = ctx;
      \tret = demo_attach(ctx);
      \tif (ret) {
      \t\tkfree(ctx);
      \t\treturn ret;
      \t}
      \treturn 0;
      }

      static int demo_release(struct inode *inode, struct file *file)
      {
      \tkfree(file->private_data);
      \treturn 0;
      }

      static const struct file_operations demo_fops = {
      \t.owner = THIS_MODULE,
      \t.open = demo_open,
      \t.release = demo_release,
      };
      """),
    // kernfs: release frees of->priv.
    Example(
      """
      #include <linux/kernfs.h>
      #include <linux/slab.h>

      static int demo_open(struct kernfs_open_file *of)
      {
      \tof->priv = kzalloc(32, GFP_KERNEL);
      \treturn of->priv ? 0 : -ENOMEM;
      }

      static void demo_release(struct kernfs_open_file *of)
      {
      \tkfree(of->priv);
      }

      const struct kernfs_ops demo_ops = {
      \t.open = demo_open,
      \t.release = demo_release,
      };
      """),
  ]
}
