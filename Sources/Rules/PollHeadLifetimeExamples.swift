import SeverCore

/// C examples for `PollHeadLifetimeRule`, modelled on the PSI trigger history (contract.md §2).
/// They include the kernel-like headers of `Fixtures/tree/include`.
enum PollHeadLifetimeExamples {
  static let triggering: [Example] = [
    // PSI before aff037078eca: the trigger's own waitqueue, freed by the cftype's release.
    Example(
      """
      #include <linux/cgroup-defs.h>
      #include <linux/slab.h>
      struct trigger { wait_queue_head_t event_wait; };
      struct file_ctx { struct trigger *trigger; };

      static __poll_t pressure_poll(struct kernfs_open_file *of, poll_table *pt)
      {
      \tstruct file_ctx *ctx = of->priv;

      \t↓poll_wait(of->file, &ctx->trigger->event_wait, pt);
      \treturn 0;
      }

      static void pressure_release(struct kernfs_open_file *of)
      {
      \tstruct file_ctx *ctx = of->priv;

      \twake_up_pollfree(&ctx->trigger->event_wait);
      \tkfree(ctx->trigger);
      }

      static struct cftype pressure_files[] = {
      \t{ .name = "demo.pressure", .poll = pressure_poll, .release = pressure_release },
      \t{ }
      };
      """),
    // A kernfs user whose per-open state holds the head, through a helper as PSI did.
    Example(
      """
      #include <linux/kernfs.h>
      #include <linux/slab.h>
      struct state { wait_queue_head_t wait; };

      static __poll_t state_poll(struct state **sp, struct file *file, poll_table *pt)
      {
      \tstruct state *s = *sp;

      \t↓poll_wait(file, &s->wait, pt);
      \treturn 0;
      }

      static int demo_open(struct kernfs_open_file *of)
      {
      \tof->priv = kzalloc(sizeof(struct state), GFP_KERNEL);
      \treturn of->priv ? 0 : -ENOMEM;
      }

      static __poll_t demo_poll(struct kernfs_open_file *of, poll_table *pt)
      {
      \treturn state_poll((struct state **)&of->priv, of->file, pt);
      }

      static void demo_release(struct kernfs_open_file *of)
      {
      \tkfree(of->priv);
      }

      const struct kernfs_ops demo_ops = {
      \t.open = demo_open, .poll = demo_poll, .release = demo_release,
      };
      """),
    // A procfs entry that is removed, with the head in per-open state.
    Example(
      """
      #include <linux/proc_fs.h>
      #include <linux/slab.h>
      struct state { wait_queue_head_t wait; };

      static __poll_t demo_poll(struct file *file, poll_table *pt)
      {
      \tstruct state *s = file->private_data;

      \t↓poll_wait(file, &s->wait, pt);
      \treturn 0;
      }

      static int demo_release(struct inode *inode, struct file *file)
      {
      \tkfree(file->private_data);
      \treturn 0;
      }

      static const struct proc_ops demo_ops = {
      \t.proc_poll = demo_poll, .proc_release = demo_release,
      };

      void demo_remove(void)
      {
      \tremove_proc_entry("demo", NULL);
      }
      """),
  ]

  static let nonTriggering: [Example] = [
    // PSI after aff037078eca: cgroup triggers poll on kernfs's on->poll.
    Example(
      """
      #include <linux/cgroup-defs.h>
      #include <linux/slab.h>
      struct trigger { int event; };

      static __poll_t pressure_poll(struct kernfs_open_file *of, poll_table *pt)
      {
      \treturn kernfs_generic_poll(of, pt);
      }

      static void pressure_release(struct kernfs_open_file *of)
      {
      \tkfree(of->priv);
      }

      static struct cftype pressure_files[] = {
      \t{ .name = "demo.pressure", .poll = pressure_poll, .release = pressure_release },
      \t{ }
      };
      """),
    // The merged PSI shape: the private head only when the trigger has no kernfs file, and
    // every cgroup trigger is created with the writer's own of.
    Example(
      """
      #include <linux/cgroup-defs.h>
      #include <linux/slab.h>
      struct trigger { wait_queue_head_t event_wait; struct kernfs_open_file *of; };

      static struct trigger *trigger_create(struct kernfs_open_file *of)
      {
      \tstruct trigger *t = kzalloc(sizeof(*t), GFP_KERNEL);

      \tif (!t)
      \t\treturn NULL;
      \tt->of = of;
      \tif (!of)
      \t\tinit_waitqueue_head(&t->event_wait);
      \treturn t;
      }

      static __poll_t trigger_poll(struct trigger **tp, struct file *file, poll_table *pt)
      {
      \tstruct trigger *t = *tp;

      \tif (t->of)
      \t\tkernfs_generic_poll(t->of, pt);
      \telse
      \t\tpoll_wait(file, &t->event_wait, pt);
      \treturn 0;
      }

      static ssize_t pressure_write(struct kernfs_open_file *of, char *buf, size_t n, loff_t off)
      {
      \tof->priv = trigger_create(of);
      \treturn n;
      }

      static __poll_t pressure_poll(struct kernfs_open_file *of, poll_table *pt)
      {
      \treturn trigger_poll((struct trigger **)&of->priv, of->file, pt);
      }

      static void pressure_release(struct kernfs_open_file *of)
      {
      \tkfree(of->priv);
      }

      static struct cftype pressure_files[] = {
      \t{ .name = "demo.pressure", .write = pressure_write, .poll = pressure_poll,
      \t  .release = pressure_release },
      \t{ }
      };
      """),
    // /proc/pressure: built in and never removed, so release runs only at last close.
    Example(
      """
      #include <linux/proc_fs.h>
      #include <linux/slab.h>
      struct state { wait_queue_head_t wait; };

      static __poll_t demo_poll(struct file *file, poll_table *pt)
      {
      \tstruct state *s = file->private_data;

      \tpoll_wait(file, &s->wait, pt);
      \treturn 0;
      }

      static int demo_release(struct inode *inode, struct file *file)
      {
      \tkfree(file->private_data);
      \treturn 0;
      }

      static const struct proc_ops demo_ops = {
      \t.proc_poll = demo_poll, .proc_release = demo_release,
      };

      int demo_init(void)
      {
      \treturn proc_create("demo", 0444, NULL, &demo_ops) ? 0 : -ENOMEM;
      }
      """),
  ]
}
