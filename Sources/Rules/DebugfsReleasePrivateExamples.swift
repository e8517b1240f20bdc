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
    // simple_open copies i_private into file->private_data: reading it in release is reading
    // the same object (sound/soc/sof/ipc3-dtrace.c's release reads both).
    Example(
      """
      #include <linux/debugfs.h>
      MODULE_LICENSE("GPL");
      struct demo_dev { int busy; };

      static int regs_release(struct inode *inode, struct file *file)
      {
      \tstruct demo_dev *dev = file->private_data;

      \t↓dev->busy = 0;
      \treturn 0;
      }

      static const struct file_operations regs_fops = {
      \t.owner = THIS_MODULE,
      \t.open = simple_open,
      \t.release = regs_release,
      };

      void regs_init(struct dentry *dir, struct demo_dev *dev)
      {
      \tdebugfs_create_file("regs", 0444, dir, dev, &regs_fops);
      }
      """, message: "simple_open set it to inode->i_private"),
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
    // A runtime-PM usage count is not a lifetime reference: the device stays unbindable, and
    // unbind frees the object (xe and i915 forcewake files).
    Example(
      """
      #include <linux/debugfs.h>
      #include <linux/refcount.h>
      struct demo_dev { struct device *dev; int wake; };

      static int wake_open(struct inode *inode, struct file *file)
      {
      \tstruct demo_dev *d = inode->i_private;

      \treturn pm_runtime_get_sync(d->dev);
      }

      static int wake_release(struct inode *inode, struct file *file)
      {
      \tstruct demo_dev *d = inode->i_private;

      \t↓pm_runtime_put(d->dev);
      \treturn 0;
      }

      static const struct file_operations wake_fops = {
      \t.owner = THIS_MODULE,
      \t.open = wake_open,
      \t.release = wake_release,
      };

      void wake_init(struct dentry *dir, struct demo_dev *d)
      {
      \tdebugfs_create_file("wake", 0600, dir, d, &wake_fops);
      }
      """),
    // The open hands the object to a function sever cannot see: unknown is not safe (a note).
    Example(
      """
      #include <linux/debugfs.h>
      struct demo_bus { int readers; };
      int demo_reader_add(struct demo_bus *bus);

      static int text_open(struct inode *inode, struct file *file)
      {
      \tstruct demo_bus *bus = inode->i_private;

      \treturn demo_reader_add(bus);
      }

      static int text_release(struct inode *inode, struct file *file)
      {
      \tstruct demo_bus *bus = inode->i_private;

      \t↓bus->readers--;
      \treturn 0;
      }

      static const struct file_operations text_fops = {
      \t.owner = THIS_MODULE,
      \t.open = text_open,
      \t.release = text_release,
      };

      void text_init(struct dentry *dir, struct demo_bus *bus)
      {
      \tdebugfs_create_file("text", 0444, dir, bus, &text_fops);
      }
      """, severity: .note, message: "unless demo_reader_add(), which sever did not parse"),
    // The open pins an object the data points to, and the release drops it: safe exactly when
    // that object owns the data (virt/kvm/kvm_main.c kvm_debugfs_open: each VM frees its
    // debugfs data when it goes), which sever cannot tell, so a note.
    Example(
      """
      #include <linux/debugfs.h>
      #include <linux/refcount.h>
      #include <linux/slab.h>
      MODULE_LICENSE("GPL");
      struct demo_vm { refcount_t users; };
      struct demo_stat { struct demo_vm *vm; int offset; };

      static int vm_get_safe(struct demo_vm *vm)
      {
      \treturn refcount_inc_not_zero(&vm->users);
      }

      static void vm_put(struct demo_vm *vm)
      {
      \tif (refcount_dec_and_test(&vm->users))
      \t\tkfree(vm);
      }

      static int stat_open(struct inode *inode, struct file *file)
      {
      \tstruct demo_stat *stat = inode->i_private;

      \tif (!vm_get_safe(stat->vm))
      \t\treturn -ENOENT;
      \treturn 0;
      }

      static int stat_release(struct inode *inode, struct file *file)
      {
      \tstruct demo_stat *stat = inode->i_private;

      \t↓vm_put(stat->vm);
      \treturn 0;
      }

      static const struct file_operations stat_fops = {
      \t.owner = THIS_MODULE,
      \t.open = stat_open,
      \t.release = stat_release,
      };

      void stat_init(struct dentry *dir, struct demo_stat *stat)
      {
      \tdebugfs_create_file("stat", 0444, dir, stat, &stat_fops);
      }
      """, severity: .note, message: "unless the object the open takes a reference on owns it"),
    // Through a `static inline` accessor from a header (ath11k's `ath11k_sta_to_arsta()` in
    // drivers/net/wireless/ath/ath11k/debugfs_sta.c).
    Example(
      """
      #include <linux/debugfs.h>
      #include <linux/demo_station.h>
      #include <linux/slab.h>
      MODULE_LICENSE("GPL");

      static int stats_open(struct inode *inode, struct file *file)
      {
      \tstruct demo_station_priv *priv = demo_station_priv(inode->i_private);

      \tpriv->stats = kzalloc(64, GFP_KERNEL);
      \treturn priv->stats ? 0 : -ENOMEM;
      }

      static int stats_release(struct inode *inode, struct file *file)
      {
      \tkfree(↓demo_station_priv(inode->i_private)->stats);
      \treturn 0;
      }

      static const struct file_operations stats_fops = {
      \t.owner = THIS_MODULE,
      \t.open = stats_open,
      \t.release = stats_release,
      };

      void stats_init(struct dentry *dir, struct demo_station *sta)
      {
      \tdebugfs_create_file("stats", 0400, dir, sta, &stats_fops);
      }
      """, severity: .error),
  ]

  static let nonTriggering: [Example] = [
    // The open puts its own allocation in file->private_data: release frees what the file
    // owns, not the debugfs data.
    Example(
      """
      #include <linux/debugfs.h>
      #include <linux/slab.h>
      MODULE_LICENSE("GPL");
      struct demo_snapshot { int len; };

      static int snap_open(struct inode *inode, struct file *file)
      {
      \tstruct demo_snapshot *snap = kzalloc(sizeof(*snap), GFP_KERNEL);

      \tif (!snap)
      \t\treturn -ENOMEM;
      \tfile->private_data = snap;
      \treturn 0;
      }

      static int snap_release(struct inode *inode, struct file *file)
      {
      \tstruct demo_snapshot *snap = file->private_data;

      \tsnap->len = 0;
      \tkfree(snap);
      \treturn 0;
      }

      static const struct file_operations snap_fops = {
      \t.owner = THIS_MODULE,
      \t.open = snap_open,
      \t.release = snap_release,
      };

      void snap_init(struct dentry *dir, void *dev)
      {
      \tdebugfs_create_file("snap", 0444, dir, dev, &snap_fops);
      }
      """),
    // The reference is taken by a helper given a pointer to the counter inside the object
    // (drbd_single_open(file, show, data, &resource->kref, …)); release drops it.
    Example(
      """
      #include <linux/debugfs.h>
      #include <linux/refcount.h>
      struct demo_resource { struct kref kref; int busy; };
      void demo_destroy(struct kref *kref);

      static int demo_single_open(struct file *file, void *data, struct kref *kref)
      {
      \tif (!kref_get_unless_zero(kref))
      \t\treturn -ESTALE;
      \tfile->private_data = data;
      \treturn 0;
      }

      static int summary_open(struct inode *inode, struct file *file)
      {
      \tstruct demo_resource *resource = inode->i_private;

      \treturn demo_single_open(file, resource, &resource->kref);
      }

      static int summary_release(struct inode *inode, struct file *file)
      {
      \tstruct demo_resource *resource = inode->i_private;

      \tkref_put(&resource->kref, demo_destroy);
      \treturn 0;
      }

      static const struct file_operations summary_fops = {
      \t.owner = THIS_MODULE,
      \t.open = summary_open,
      \t.release = summary_release,
      };

      void summary_init(struct dentry *dir, struct demo_resource *resource)
      {
      \tdebugfs_create_file("summary", 0400, dir, resource, &summary_fops);
      }
      """),
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
    // Open pins the object behind i_private with a reference count that release drops
    // (kvm_debugfs_open: kvm_get_kvm_safe is refcount_inc_not_zero on kvm->users_count).
    Example(
      """
      #include <linux/debugfs.h>
      #include <linux/refcount.h>
      #include <linux/slab.h>
      struct demo_vm { refcount_t users; int stats; };

      static bool demo_get_vm_safe(struct demo_vm *vm)
      {
      \treturn refcount_inc_not_zero(&vm->users);
      }

      static void demo_put_vm(struct demo_vm *vm)
      {
      \tif (refcount_dec_and_test(&vm->users))
      \t\tkfree(vm);
      }

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
