import SeverCore

/// C examples for `StalePrivRule`, modelled on `pressure_write` before and after a5b98009f16d.
enum StalePrivExamples {
  static let triggering: [Example] = [
    // CVE-2026-52991: of->priv read before cgroup_kn_lock_live broke active protection.
    Example(
      """
      #include <linux/cgroup-defs.h>
      #include <linux/slab.h>
      struct file_ctx { void *trigger; };

      static ssize_t demo_write(struct kernfs_open_file *of, char *buf, size_t n, loff_t off)
      {
      \tstruct file_ctx *ctx = of->priv;
      \tstruct cgroup *cgrp = cgroup_kn_lock_live(of->kn, false);

      \tif (!cgrp)
      \t\treturn -ENODEV;
      \t↓ctx->trigger = buf;
      \tcgroup_kn_unlock(of->kn);
      \treturn n;
      }

      static void demo_release(struct kernfs_open_file *of)
      {
      \tkfree(of->priv);
      }

      static struct cftype demo_files[] = {
      \t{ .name = "demo", .write = demo_write, .release = demo_release },
      \t{ }
      };
      """),
    // Re-read under the lock, but the lock is dropped and the re-check of of->priv cannot
    // see a release that frees without clearing the pointer.
    Example(
      """
      #include <linux/cgroup-defs.h>
      #include <linux/slab.h>
      struct file_ctx { void *trigger; };
      int slow_setup(void);

      static ssize_t demo_write(struct kernfs_open_file *of, char *buf, size_t n, loff_t off)
      {
      \tstruct file_ctx *ctx;

      \tif (!cgroup_kn_lock_live(of->kn, false))
      \t\treturn -ENODEV;
      \tctx = of->priv;
      \tif (!ctx)
      \t\tgoto out;
      \tcgroup_unlock();
      \tslow_setup();
      \tcgroup_lock();
      \tif (!of->priv)
      \t\tgoto out;
      \t↓ctx->trigger = buf;
      out:
      \tcgroup_kn_unlock(of->kn);
      \treturn n;
      }

      static void demo_release(struct kernfs_open_file *of)
      {
      \tkfree(of->priv);
      }

      static struct cftype demo_files[] = {
      \t{ .name = "demo", .write = demo_write, .release = demo_release },
      \t{ }
      };
      """),
  ]

  static let nonTriggering: [Example] = [
    // a5b98009f16d: read and use of->priv only under cgroup_mutex.
    Example(
      """
      #include <linux/cgroup-defs.h>
      #include <linux/slab.h>
      struct file_ctx { void *trigger; };

      static ssize_t demo_write(struct kernfs_open_file *of, char *buf, size_t n, loff_t off)
      {
      \tstruct file_ctx *ctx;

      \tif (!cgroup_kn_lock_live(of->kn, false))
      \t\treturn -ENODEV;
      \tctx = of->priv;
      \tif (ctx)
      \t\tctx->trigger = buf;
      \tcgroup_kn_unlock(of->kn);
      \treturn n;
      }

      static void demo_release(struct kernfs_open_file *of)
      {
      \tkfree(of->priv);
      }

      static struct cftype demo_files[] = {
      \t{ .name = "demo", .write = demo_write, .release = demo_release },
      \t{ }
      };
      """),
    // The lock is dropped, but the re-check works because release clears the pointer
    // (94a4acfec146).
    Example(
      """
      #include <linux/cgroup-defs.h>
      #include <linux/slab.h>
      struct file_ctx { void *trigger; };
      int slow_setup(void);

      static ssize_t demo_write(struct kernfs_open_file *of, char *buf, size_t n, loff_t off)
      {
      \tstruct file_ctx *ctx;

      \tif (!cgroup_kn_lock_live(of->kn, false))
      \t\treturn -ENODEV;
      \tctx = of->priv;
      \tif (!ctx)
      \t\tgoto out;
      \tcgroup_unlock();
      \tslow_setup();
      \tcgroup_lock();
      \tif (!of->priv)
      \t\tgoto out;
      \tctx->trigger = buf;
      out:
      \tcgroup_kn_unlock(of->kn);
      \treturn n;
      }

      static void demo_release(struct kernfs_open_file *of)
      {
      \tkfree(of->priv);
      \tof->priv = NULL;
      }

      static struct cftype demo_files[] = {
      \t{ .name = "demo", .write = demo_write, .release = demo_release },
      \t{ }
      };
      """),
  ]
}
