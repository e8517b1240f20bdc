import SeverCore

/// C examples for `DebugfsPollHeadRule` (D3).
enum DebugfsPollHeadExamples {
  static let triggering: [Example] = [
    // The open copies the driver's object into private_data; poll waits on a head inside it
    // (ca8210's test interface).
    Example(
      """
      #include <linux/debugfs.h>
      #include <linux/wait.h>
      struct demo_priv { wait_queue_head_t readq; int ready; };

      static int test_open(struct inode *inode, struct file *file)
      {
      \tstruct demo_priv *priv = inode->i_private;

      \tfile->private_data = priv;
      \treturn 0;
      }

      static __poll_t test_poll(struct file *file, poll_table *wait)
      {
      \tstruct demo_priv *priv = file->private_data;

      \t↓poll_wait(file, &priv->readq, wait);
      \treturn priv->ready ? EPOLLIN : 0;
      }

      static const struct file_operations test_fops = {
      \t.owner = THIS_MODULE,
      \t.open = test_open,
      \t.poll = test_poll,
      };

      void test_init(struct dentry *dir, struct demo_priv *priv)
      {
      \tdebugfs_create_file("test", 0600, dir, priv, &test_fops);
      }
      """),
    // A per-open list pointing back at the object (hid-debug's events file).
    Example(
      """
      #include <linux/debugfs.h>
      #include <linux/slab.h>
      #include <linux/wait.h>
      struct demo_dev { wait_queue_head_t debug_wait; };
      struct demo_list { struct demo_dev *dev; int head; };

      static int events_open(struct inode *inode, struct file *file)
      {
      \tstruct demo_list *list = kzalloc(sizeof(*list), GFP_KERNEL);

      \tif (!list)
      \t\treturn -ENOMEM;
      \tlist->dev = inode->i_private;
      \tfile->private_data = list;
      \treturn 0;
      }

      static __poll_t events_poll(struct file *file, poll_table *wait)
      {
      \tstruct demo_list *list = file->private_data;

      \t↓poll_wait(file, &list->dev->debug_wait, wait);
      \treturn 0;
      }

      static int events_release(struct inode *inode, struct file *file)
      {
      \tkfree(file->private_data);
      \treturn 0;
      }

      static const struct file_operations events_fops = {
      \t.owner = THIS_MODULE,
      \t.open = events_open,
      \t.poll = events_poll,
      \t.release = events_release,
      };

      void events_init(struct dentry *dir, struct demo_dev *dev)
      {
      \tdebugfs_create_file("events", 0400, dir, dev, &events_fops);
      }
      """),
  ]

  static let nonTriggering: [Example] = [
    // The open allocates a per-reader record, points it at the object and takes a reference on
    // the object through it, before publishing the record in the file; release drops it
    // (drivers/hid/hid-debug.c hid_debug_events_open, kref_get(&list->hdev->ref)).
    Example(
      """
      #include <linux/debugfs.h>
      #include <linux/refcount.h>
      #include <linux/slab.h>
      #include <linux/wait.h>
      struct demo_dev { struct kref ref; wait_queue_head_t wait; };
      struct demo_reader { struct demo_dev *dev; int pos; };
      void demo_dev_free(struct kref *ref);

      static int events_open(struct inode *inode, struct file *file)
      {
      \tstruct demo_reader *reader = kzalloc(sizeof(*reader), GFP_KERNEL);

      \tif (!reader)
      \t\treturn -ENOMEM;
      \treader->dev = (struct demo_dev *)inode->i_private;
      \tkref_get(&reader->dev->ref);
      \tfile->private_data = reader;
      \treturn 0;
      }

      static __poll_t events_poll(struct file *file, poll_table *wait)
      {
      \tstruct demo_reader *reader = file->private_data;

      \tpoll_wait(file, &reader->dev->wait, wait);
      \treturn 0;
      }

      static int events_release(struct inode *inode, struct file *file)
      {
      \tstruct demo_reader *reader = file->private_data;

      \tkref_put(&reader->dev->ref, demo_dev_free);
      \tkfree(reader);
      \treturn 0;
      }

      static const struct file_operations events_fops = {
      \t.owner = THIS_MODULE,
      \t.open = events_open,
      \t.poll = events_poll,
      \t.release = events_release,
      };

      void events_init(struct dentry *dir, struct demo_dev *dev)
      {
      \tdebugfs_create_file("events", 0400, dir, dev, &events_fops);
      }
      """),
    // The open takes a reference on the object that the release drops: it outlives pollers.
    Example(
      """
      #include <linux/debugfs.h>
      #include <linux/refcount.h>
      #include <linux/wait.h>
      struct demo_priv { struct kref ref; wait_queue_head_t readq; };
      void demo_free(struct kref *ref);

      static int test_open(struct inode *inode, struct file *file)
      {
      \tstruct demo_priv *priv = inode->i_private;

      \tkref_get(&priv->ref);
      \tfile->private_data = priv;
      \treturn 0;
      }

      static __poll_t test_poll(struct file *file, poll_table *wait)
      {
      \tstruct demo_priv *priv = file->private_data;

      \tpoll_wait(file, &priv->readq, wait);
      \treturn 0;
      }

      static int test_release(struct inode *inode, struct file *file)
      {
      \tstruct demo_priv *priv = file->private_data;

      \tkref_put(&priv->ref, demo_free);
      \treturn 0;
      }

      static const struct file_operations test_fops = {
      \t.owner = THIS_MODULE,
      \t.open = test_open,
      \t.poll = test_poll,
      \t.release = test_release,
      };

      void test_init(struct dentry *dir, struct demo_priv *priv)
      {
      \tdebugfs_create_file("test", 0600, dir, priv, &test_fops);
      }
      """),
    // A head in module data, whose module the owner pins for as long as the file is open.
    Example(
      """
      #include <linux/debugfs.h>
      #include <linux/wait.h>
      static wait_queue_head_t demo_wait;
      static int demo_ready;

      static __poll_t demo_poll(struct file *file, poll_table *wait)
      {
      \tpoll_wait(file, &demo_wait, wait);
      \treturn demo_ready ? EPOLLIN : 0;
      }

      static const struct file_operations demo_fops = {
      \t.owner = THIS_MODULE,
      \t.poll = demo_poll,
      };

      void demo_init(struct dentry *dir)
      {
      \tdebugfs_create_file("demo", 0400, dir, NULL, &demo_fops);
      }
      """),
  ]
}
