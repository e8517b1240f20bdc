import SeverCore

/// C examples for `ProcPollExitRule` (P2), after drivers/md/md.c's `mdstat_poll`/`md_exit`.
enum ProcPollExitExamples {
  static let triggering: [Example] = [
    // A module-static waitqueue; the exit path removes the entry with pollers still asleep.
    Example(
      """
      #include <linux/proc_fs.h>
      MODULE_LICENSE("GPL");
      static wait_queue_head_t demo_waiters;

      static __poll_t demo_poll(struct file *file, poll_table *wait)
      {
      \tpoll_wait(file, &demo_waiters, wait);
      \treturn EPOLLIN;
      }

      static const struct proc_ops demo_proc_ops = {
      \t.proc_poll = demo_poll,
      };

      int demo_init(void)
      {
      \tinit_waitqueue_head(&demo_waiters);
      \treturn proc_create("demo", 0444, NULL, &demo_proc_ops) ? 0 : -ENOMEM;
      }

      void demo_exit(void)
      {
      \twake_up(&demo_waiters);
      \t↓remove_proc_entry("demo", NULL);
      }
      module_exit(demo_exit);
      """),
    // The entry's own data, freed by the driver right after removal.
    Example(
      """
      #include <linux/proc_fs.h>
      #include <linux/slab.h>
      struct demo_stat { wait_queue_head_t wait; struct proc_dir_entry *pde; };

      static __poll_t stat_poll(struct file *file, poll_table *wait)
      {
      \tstruct demo_stat *s = pde_data(file_inode(file));

      \tpoll_wait(file, &s->wait, wait);
      \treturn EPOLLIN;
      }

      static const struct proc_ops stat_proc_ops = {
      \t.proc_poll = stat_poll,
      };

      void stat_add(struct demo_stat *s)
      {
      \ts->pde = proc_create_data("stat", 0444, NULL, &stat_proc_ops, s);
      }

      void stat_remove(struct demo_stat *s)
      {
      \t↓proc_remove(s->pde);
      \tkfree(s);
      }
      """),
  ]

  static let nonTriggering: [Example] = [
    // md.c's shape: mark unloading, wake and wait until no poller is left, then remove.
    Example(
      """
      #include <linux/proc_fs.h>
      MODULE_LICENSE("GPL");
      static wait_queue_head_t demo_waiters;
      static int demo_unloading;

      static __poll_t demo_poll(struct file *file, poll_table *wait)
      {
      \tif (demo_unloading)
      \t\treturn EPOLLIN | EPOLLERR | EPOLLPRI;
      \tpoll_wait(file, &demo_waiters, wait);
      \treturn EPOLLIN;
      }

      static const struct proc_ops demo_proc_ops = {
      \t.proc_poll = demo_poll,
      };

      int demo_init(void)
      {
      \tinit_waitqueue_head(&demo_waiters);
      \treturn proc_create("demo", 0444, NULL, &demo_proc_ops) ? 0 : -ENOMEM;
      }

      void demo_exit(void)
      {
      \tdemo_unloading = 1;
      \twhile (waitqueue_active(&demo_waiters)) {
      \t\twake_up(&demo_waiters);
      \t\tmsleep(10);
      \t}
      \tremove_proc_entry("demo", NULL);
      }
      module_exit(demo_exit);
      """),
    // Built-in code with a static head: never unloaded, the head is never freed.
    Example(
      """
      #include <linux/proc_fs.h>
      static wait_queue_head_t demo_waiters;

      static __poll_t demo_poll(struct file *file, poll_table *wait)
      {
      \tpoll_wait(file, &demo_waiters, wait);
      \treturn EPOLLIN;
      }

      static const struct proc_ops demo_proc_ops = {
      \t.proc_poll = demo_poll,
      };

      void demo_exit(void)
      {
      \tremove_proc_entry("demo", NULL);
      }
      """),
  ]
}
