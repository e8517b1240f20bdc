import SeverCore

/// C examples for `MmapVmOpsRule` (K14, K16, S2).
enum MmapVmOpsExamples {
  static let triggering: [Example] = [
    // A bin_attribute mmap installing vm_ops with ->close: kernfs refuses every such mmap.
    Example(
      """
      #include <linux/device.h>
      MODULE_LICENSE("GPL");

      static void buf_vma_close(struct vm_area_struct *vma)
      {
      }

      static const struct vm_operations_struct buf_vm_ops = {
      \t.close = buf_vma_close,
      };

      static int buf_mmap(struct file *file, struct kobject *kobj, struct bin_attribute *attr,
      \t\t    struct vm_area_struct *vma)
      {
      \t↓vma->vm_ops = &buf_vm_ops;
      \treturn 0;
      }

      static struct bin_attribute buf_attr = {
      \t.attr = { .name = "buf", .mode = 0600 },
      \t.mmap = buf_mmap,
      };
      """),
    // A kernfs mmap that maps another file: the vma escapes severing.
    Example(
      """
      #include <linux/kernfs.h>
      MODULE_LICENSE("GPL");
      struct file *demo_backing;

      static int demo_mmap(struct kernfs_open_file *of, struct vm_area_struct *vma)
      {
      \tfput(vma->vm_file);
      \t↓vma->vm_file = get_file(demo_backing);
      \treturn 0;
      }

      const struct kernfs_ops demo_ops = {
      \t.mmap = demo_mmap,
      };
      """),
  ]

  static let nonTriggering: [Example] = [
    // vm_ops without ->close: kernfs wraps them and zaps the mapping at removal.
    Example(
      """
      #include <linux/device.h>

      static int buf_vma_fault(struct vm_fault *vmf)
      {
      \treturn 0;
      }

      static const struct vm_operations_struct buf_vm_ops = {
      \t.fault = buf_vma_fault,
      };

      static int buf_mmap(struct file *file, struct kobject *kobj, struct bin_attribute *attr,
      \t\t    struct vm_area_struct *vma)
      {
      \tvma->vm_ops = &buf_vm_ops;
      \treturn 0;
      }

      static struct bin_attribute buf_attr = {
      \t.attr = { .name = "buf", .mode = 0600 },
      \t.mmap = buf_mmap,
      };
      """),
    // A plain file_operations may use ->close: it pins the module instead of severing.
    Example(
      """
      #include <linux/fs.h>

      static void demo_vma_close(struct vm_area_struct *vma)
      {
      }

      static const struct vm_operations_struct demo_vm_ops = {
      \t.close = demo_vma_close,
      };

      static int demo_mmap(struct file *file, struct vm_area_struct *vma)
      {
      \tvma->vm_ops = &demo_vm_ops;
      \treturn 0;
      }

      static const struct file_operations demo_fops = {
      \t.owner = THIS_MODULE,
      \t.mmap = demo_mmap,
      };
      """),
  ]
}
