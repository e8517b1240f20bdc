import SeverCore

/// C examples for `MissingOwnerRule` (D1, M1). Examples spelling `MODULE_LICENSE` are module
/// code; the others are built in.
enum MissingOwnerExamples {
  static let triggering: [Example] = [
    // A module's debugfs file with its own release and no owner: full_proxy_release calls it
    // at last fput, after rmmod.
    Example(
      """
      #include <linux/debugfs.h>
      #include <linux/slab.h>
      MODULE_LICENSE("GPL");

      static int stats_open(struct inode *inode, struct file *file)
      {
      \tfile->private_data = kzalloc(64, GFP_KERNEL);
      \treturn file->private_data ? 0 : -ENOMEM;
      }

      static int stats_release(struct inode *inode, struct file *file)
      {
      \tkfree(file->private_data);
      \treturn 0;
      }

      static const struct file_operations ↓stats_fops = {
      \t.open = stats_open,
      \t.release = stats_release,
      };

      void stats_init(struct dentry *dir)
      {
      \tdebugfs_create_file("stats", 0444, dir, NULL, &stats_fops);
      }
      """),
    // A misc device: its ioctl keeps being called after misc_deregister until the last fput.
    Example(
      """
      #include <linux/miscdevice.h>
      MODULE_LICENSE("GPL");

      static long demo_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
      {
      \treturn 0;
      }

      static const struct file_operations ↓demo_fops = {
      \t.unlocked_ioctl = demo_ioctl,
      };

      static struct miscdevice demo_dev = {
      \t.minor = MISC_DYNAMIC_MINOR, .name = "demo", .fops = &demo_fops,
      };

      int demo_init(void)
      {
      \treturn misc_register(&demo_dev);
      }
      """),
    // A character device whose cdev is set up at run time.
    Example(
      """
      #include <linux/cdev.h>
      MODULE_LICENSE("GPL");

      static ssize_t demo_read(struct file *file, char *buf, size_t len, loff_t *ppos)
      {
      \treturn 0;
      }

      static const struct file_operations ↓demo_fops = {
      \t.read = demo_read,
      \t.llseek = default_llseek,
      };

      int demo_setup(struct cdev *cdev, dev_t dev)
      {
      \tcdev_init(cdev, &demo_fops);
      \treturn cdev_add(cdev, dev, 1);
      }
      """),
    // debugfs whose module callback (the open) cannot run after debugfs_remove() and whose
    // other callbacks are library code: full_proxy_release still reads the module's table
    // (its .release, then .owner in fops_put) after rmmod (D1, a warning).
    Example(
      """
      #include <linux/debugfs.h>
      #include <linux/seq_file.h>
      MODULE_LICENSE("GPL");

      static int stats_show(struct seq_file *m, void *v)
      {
      \treturn 0;
      }

      static int stats_open(struct inode *inode, struct file *file)
      {
      \treturn single_open(file, stats_show, inode->i_private);
      }

      static const struct file_operations ↓stats_fops = {
      \t.open = stats_open,
      \t.read = seq_read,
      \t.llseek = seq_lseek,
      \t.release = single_release,
      };

      void stats_init(struct dentry *dir)
      {
      \tdebugfs_create_file("stats", 0444, dir, NULL, &stats_fops);
      }
      """, severity: .warning,
      message: "debugfs's removal protocol keeps its module callbacks (.open = stats_open)"),
    // The file created here holds a reference on another file (as iommufd's selftest files
    // hold /dev/iommu): that may pin the module through the other file's owner, so the finding
    // is a note that says so.
    Example(
      """
      #include <linux/anon_inodes.h>
      #include <linux/slab.h>
      MODULE_LICENSE("GPL");
      struct demo_access { struct file *ctx_file; };

      static int access_release(struct inode *inode, struct file *file)
      {
      \tstruct demo_access *access = file->private_data;

      \tfput(access->ctx_file);
      \tkfree(access);
      \treturn 0;
      }

      static const struct file_operations ↓access_fops = {
      \t.release = access_release,
      };

      struct file *access_create(struct file *ctx_file)
      {
      \tstruct demo_access *access = kzalloc(sizeof(*access), GFP_KERNEL);

      \tif (!access)
      \t\treturn NULL;
      \taccess->ctx_file = get_file(ctx_file);
      \treturn anon_inode_getfile("[demo_access]", &access_fops, access, 0);
      }
      """, severity: .note, message: "takes a reference on another file"),
    // The same, when the function that makes the file is not the one that gives it the other
    // file: its caller does (drivers/iommu/iommufd/selftest.c iommufd_test_alloc_access and
    // iommufd_test_create_access).
    Example(
      """
      #include <linux/anon_inodes.h>
      #include <linux/slab.h>
      MODULE_LICENSE("GPL");
      struct demo_access { struct file *file; struct file *ctx_file; };

      static int access_release(struct inode *inode, struct file *file)
      {
      \tstruct demo_access *access = file->private_data;

      \tfput(access->ctx_file);
      \tkfree(access);
      \treturn 0;
      }

      static const struct file_operations ↓access_fops = {
      \t.release = access_release,
      };

      static struct demo_access *access_alloc(void)
      {
      \tstruct demo_access *access = kzalloc(sizeof(*access), GFP_KERNEL);

      \tif (!access)
      \t\treturn NULL;
      \taccess->file = anon_inode_getfile("[demo_access]", &access_fops, access, 0);
      \treturn access;
      }

      struct file *access_create(struct file *ctx_file)
      {
      \tstruct demo_access *access = access_alloc();

      \tif (!access)
      \t\treturn NULL;
      \taccess->ctx_file = get_file(ctx_file);
      \treturn access->file;
      }
      """, severity: .note, message: "access_create takes a reference on another file"),
    // The file holds the VM, and the VM holds a module reference until its last put
    // (virt/kvm/kvm_main.c before KVM set .owner on its anonymous fops, 2023): the module stays
    // loaded while the file is open, and only the release's own return after the put races
    // with rmmod. A warning that says so, not an error that says nothing keeps the module.
    Example(
      """
      #include <linux/anon_inodes.h>
      #include <linux/module.h>
      #include <linux/refcount.h>
      #include <linux/slab.h>
      MODULE_LICENSE("GPL");
      struct demo_vm { refcount_t users; struct module *owner; };

      static void demo_vm_destroy(struct demo_vm *vm)
      {
      \tstruct module *owner = vm->owner;

      \tkfree(vm);
      \tmodule_put(owner);
      }

      static void demo_vm_put(struct demo_vm *vm)
      {
      \tif (refcount_dec_and_test(&vm->users))
      \t\tdemo_vm_destroy(vm);
      }

      static void demo_vm_get(struct demo_vm *vm)
      {
      \trefcount_inc(&vm->users);
      }

      static int vcpu_release(struct inode *inode, struct file *file)
      {
      \tstruct demo_vm *vm = file->private_data;

      \tdemo_vm_put(vm);
      \treturn 0;
      }

      static const struct file_operations ↓vcpu_fops = {
      \t.release = vcpu_release,
      };

      int vm_create_vcpu(struct demo_vm *vm)
      {
      \tdemo_vm_get(vm);
      \treturn anon_inode_getfd("demo-vcpu", &vcpu_fops, vm, 0);
      }
      """, severity: .warning, message: "a narrow race only .owner closes"),
    // The object the file holds took the module reference when it was made (6.1's
    // kvm_create_vm and kvm_vm_fops): the same narrow race, found from the reference taken and
    // dropped in this file.
    Example(
      """
      #include <linux/anon_inodes.h>
      #include <linux/module.h>
      #include <linux/refcount.h>
      #include <linux/slab.h>
      MODULE_LICENSE("GPL");
      struct demo_vm { refcount_t users; };
      extern struct module *demo_owner;

      static void demo_vm_put(struct demo_vm *vm)
      {
      \tif (refcount_dec_and_test(&vm->users)) {
      \t\tkfree(vm);
      \t\tmodule_put(demo_owner);
      \t}
      }

      static int vm_release(struct inode *inode, struct file *file)
      {
      \tdemo_vm_put(file->private_data);
      \treturn 0;
      }

      static const struct file_operations ↓vm_fops = {
      \t.release = vm_release,
      };

      int vm_create(void)
      {
      \tstruct demo_vm *vm = kzalloc(sizeof(*vm), GFP_KERNEL);

      \tif (!vm)
      \t\treturn -12;
      \t__module_get(demo_owner);
      \treturn anon_inode_getfd("demo-vm", &vm_fops, vm, 0);
      }
      """, severity: .warning, message: "vm_create takes a module reference (__module_get)"),
  ]

  static let nonTriggering: [Example] = [
    // The open pins, by hand, the module of the device it opens, which depends on this one
    // (drivers/hwtracing/stm/core.c, stm_find_device): the code manages module lifetime itself.
    Example(
      """
      #include <linux/cdev.h>
      #include <linux/module.h>
      MODULE_LICENSE("GPL");
      struct demo_stm { struct module *owner; };
      extern struct demo_stm *demo_current;

      static int stm_open(struct inode *inode, struct file *file)
      {
      \tif (!try_module_get(demo_current->owner))
      \t\treturn -ENODEV;
      \tfile->private_data = demo_current;
      \treturn 0;
      }

      static int stm_release(struct inode *inode, struct file *file)
      {
      \tstruct demo_stm *stm = file->private_data;

      \tmodule_put(stm->owner);
      \treturn 0;
      }

      static const struct file_operations stm_fops = {
      \t.open = stm_open,
      \t.release = stm_release,
      };

      static struct cdev demo_cdev;

      int stm_init(void)
      {
      \tcdev_init(&demo_cdev, &stm_fops);
      \treturn 0;
      }
      """),
    // The owner pins the module from open to last fput.
    Example(
      """
      #include <linux/cdev.h>
      MODULE_LICENSE("GPL");

      static ssize_t demo_read(struct file *file, char *buf, size_t len, loff_t *ppos)
      {
      \treturn 0;
      }

      static const struct file_operations demo_fops = {
      \t.owner = THIS_MODULE,
      \t.read = demo_read,
      };

      int demo_setup(struct cdev *cdev, dev_t dev)
      {
      \tcdev_init(cdev, &demo_fops);
      \treturn cdev_add(cdev, dev, 1);
      }
      """),
    // The cdev's owner pins the module for every open (chrdev_open → cdev_get).
    Example(
      """
      #include <linux/cdev.h>
      MODULE_LICENSE("GPL");

      static ssize_t demo_read(struct file *file, char *buf, size_t len, loff_t *ppos)
      {
      \treturn 0;
      }

      static const struct file_operations demo_fops = {
      \t.read = demo_read,
      };

      int demo_setup(struct cdev *cdev, dev_t dev)
      {
      \tcdev_init(cdev, &demo_fops);
      \tcdev->owner = THIS_MODULE;
      \treturn cdev_add(cdev, dev, 1);
      }
      """),
    // Macro-made tables set the owner.
    Example(
      """
      #include <linux/debugfs.h>
      #include <linux/seq_file.h>
      MODULE_LICENSE("GPL");

      static int stats_show(struct seq_file *m, void *v)
      {
      \treturn 0;
      }
      DEFINE_SHOW_ATTRIBUTE(stats);

      void stats_init(struct dentry *dir)
      {
      \tdebugfs_create_file("stats", 0444, dir, NULL, &stats_fops);
      }
      """),
    // A macro that invokes another macro, whose body sets the owner (DEFINE_SIMPLE_ATTRIBUTE
    // in linux/fs.h; arch/x86/kvm/debugfs.c).
    Example(
      """
      #include <linux/debugfs.h>
      MODULE_LICENSE("GPL");

      static int timer_get(void *data, u64 *val)
      {
      \t*val = 0;
      \treturn 0;
      }
      DEFINE_SIMPLE_ATTRIBUTE(timer_fops, timer_get, NULL, "%llu\\n");

      void timer_init(struct dentry *dir, void *vcpu)
      {
      \tdebugfs_create_file("timer", 0444, dir, vcpu, &timer_fops);
      }
      """),
    // The owner is set at run time before registration (virt/kvm/kvm_main.c kvm_init).
    Example(
      """
      #include <linux/miscdevice.h>
      MODULE_LICENSE("GPL");

      static long demo_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
      {
      \treturn 0;
      }

      static struct file_operations demo_fops = {
      \t.unlocked_ioctl = demo_ioctl,
      };

      static struct miscdevice demo_dev = {
      \t.minor = MISC_DYNAMIC_MINOR, .name = "demo", .fops = &demo_fops,
      };

      int demo_init(struct module *module)
      {
      \tdemo_fops.owner = module;
      \treturn misc_register(&demo_dev);
      }
      """),
    // Built-in code is never unloaded.
    Example(
      """
      #include <linux/miscdevice.h>

      static long demo_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
      {
      \treturn 0;
      }

      static const struct file_operations demo_fops = {
      \t.unlocked_ioctl = demo_ioctl,
      };

      static struct miscdevice demo_dev = {
      \t.minor = MISC_DYNAMIC_MINOR, .name = "demo", .fops = &demo_fops,
      };

      int demo_init(void)
      {
      \treturn misc_register(&demo_dev);
      }
      """),
  ]
}
