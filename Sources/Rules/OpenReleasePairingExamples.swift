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
    // The failing branch jumps to a label that returns the error without freeing.
    Example(
      """
      #include <linux/fs.h>
      #include <linux/slab.h>
      struct demo_ctx { int state; };
      int demo_attach(struct demo_ctx *ctx);

      static int demo_open(struct inode *inode, struct file *file)
      {
      \tstruct demo_ctx *ctx = kzalloc(sizeof(*ctx), GFP_KERNEL);
      \tint ret;

      \tif (!ctx)
      \t\treturn -ENOMEM;
      \tfile->private_data = ctx;
      \tret = demo_attach(ctx);
      \tif (↓ret < 0)
      \t\tgoto out;
      \tctx->state = 1;
      out:
      \treturn ret;
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
    // Tests after the allocation that are success tests: both branches fall through to
    // `return 0;`, so open cannot fail there (drivers/android/binder.c binder_open's
    // `if (!IS_ERR(binderfs_entry))`, drivers/media/cec/core/cec-api.c cec_open's `if (err >= 0)`).
    Example(
      """
      #include <linux/err.h>
      #include <linux/fs.h>
      #include <linux/slab.h>
      struct demo_ctx { void *entry; int state; };
      void *demo_create_entry(struct demo_ctx *ctx);
      int demo_query(struct demo_ctx *ctx);

      static int demo_open(struct inode *inode, struct file *file)
      {
      \tstruct demo_ctx *ctx = kzalloc(sizeof(*ctx), GFP_KERNEL);
      \tvoid *entry;
      \tint err;

      \tif (!ctx)
      \t\treturn -ENOMEM;
      \tfile->private_data = ctx;
      \tentry = demo_create_entry(ctx);
      \tif (!IS_ERR(entry))
      \t\tctx->entry = entry;
      \telse
      \t\tctx->entry = NULL;
      \terr = demo_query(ctx);
      \tif (err >= 0)
      \t\tctx->state = err;
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
