import SeverCore

/// C examples for `DebugfsReleasePrivateRule` (D2).
enum DebugfsReleasePrivateExamples {
  static let triggering: [Example] = [
    // The device passed as debugfs data is unlocked in release, after it may be freed.
    Example(
      """
      #include <linux/debugfs.h>
      MODULE_LICENSE("GPL");
      struct demo_dev { int busy; };

      static int regs_open(struct inode *inode, struct file *file)
      {
      \tstruct demo_dev *dev = inode->i_private;

      \tdev->busy = 1;
      \treturn 0;
      }

      static int regs_release(struct inode *inode, struct file *file)
      {
      \tstruct demo_dev *dev = inode->i_private;

      \t↓dev->busy = 0;
      \treturn 0;
      }

      static const struct file_operations regs_fops = {
      \t.owner = THIS_MODULE,
      \t.open = regs_open,
      \t.release = regs_release,
      };

      void regs_init(struct dentry *dir, struct demo_dev *dev)
      {
      \tdebugfs_create_file("regs", 0444, dir, dev, &regs_fops);
      }
      """),
    // Through a helper that takes the inode.
    Example(
      """
      #include <linux/debugfs.h>
      #include <linux/wait.h>
      struct demo_dev { wait_queue_head_t wait; };

      static void demo_put(struct inode *inode)
      {
      \tstruct demo_dev *dev = inode->i_private;

      \twake_up_all(&dev->wait);
      }

      static int trace_release(struct inode *inode, struct file *file)
      {
      \t↓demo_put(inode);
      \treturn 0;
      }

      static const struct file_operations trace_fops = {
      \t.owner = THIS_MODULE,
      \t.release = trace_release,
      };

      void trace_init(struct dentry *dir, struct demo_dev *dev)
      {
      \tdebugfs_create_file_unsafe("trace", 0444, dir, dev, &trace_fops);
      }
      """),
  ]

  static let nonTriggering: [Example] = [
    // Release uses only what open stashed in file->private_data.
    Example(
      """
      #include <linux/debugfs.h>
      #include <linux/slab.h>
      struct demo_dev { int busy; };

      static int regs_open(struct inode *inode, struct file *file)
      {
      \tstruct demo_dev *dev = inode->i_private;

      \tfile->private_data = kmemdup(dev, sizeof(*dev), GFP_KERNEL);
      \treturn file->private_data ? 0 : -ENOMEM;
      }

      static int regs_release(struct inode *inode, struct file *file)
      {
      \tkfree(file->private_data);
      \treturn 0;
      }

      static const struct file_operations regs_fops = {
      \t.owner = THIS_MODULE,
      \t.open = regs_open,
      \t.release = regs_release,
      };

      void regs_init(struct dentry *dir, struct demo_dev *dev)
      {
      \tdebugfs_create_file("regs", 0444, dir, dev, &regs_fops);
      }
      """),
    // Open pins the object behind i_private, release drops the pin (kvm_debugfs_open).
    Example(
      """
      #include <linux/debugfs.h>
      struct demo_vm { int refs; };
      bool demo_get_vm_safe(struct demo_vm *vm);
      void demo_put_vm(struct demo_vm *vm);

      static int stat_open(struct inode *inode, struct file *file)
      {
      \tstruct demo_vm *vm = inode->i_private;

      \tif (!demo_get_vm_safe(vm))
      \t\treturn -ENODEV;
      \treturn 0;
      }

      static int stat_release(struct inode *inode, struct file *file)
      {
      \tstruct demo_vm *vm = inode->i_private;

      \tdemo_put_vm(vm);
      \treturn 0;
      }

      static const struct file_operations stat_fops = {
      \t.owner = THIS_MODULE,
      \t.open = stat_open,
      \t.release = stat_release,
      };

      void stat_init(struct dentry *dir, struct demo_vm *vm)
      {
      \tdebugfs_create_file("stat", 0444, dir, vm, &stat_fops);
      }
      """),
    // The data is a static object of the module, which the owner keeps alive.
    Example(
      """
      #include <linux/debugfs.h>
      MODULE_LICENSE("GPL");
      struct demo_state { int busy; };
      static struct demo_state state;

      static int state_release(struct inode *inode, struct file *file)
      {
      \tstruct demo_state *s = inode->i_private;

      \ts->busy = 0;
      \treturn 0;
      }

      static const struct file_operations state_fops = {
      \t.owner = THIS_MODULE,
      \t.release = state_release,
      };

      void state_init(struct dentry *dir)
      {
      \tdebugfs_create_file("state", 0444, dir, &state, &state_fops);
      }
      """),
  ]
}
