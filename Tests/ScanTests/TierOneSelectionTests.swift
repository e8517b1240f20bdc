import Rules
import Scan
import SeverCore
import Testing

@Suite struct TierOneSelectionTests {
  func scanned(_ files: [String: String]) -> [ScannedFile] {
    files.keys.sorted().map {
      FileScanner.scan(path: $0, bytes: Array(files[$0]!.utf8), macros: MacroTable())
    }
  }

  @Test func everyRuleDeclaresTheTablesItReports() {
    // `Rule.tierOne` has no default, so every rule has a requirement; each names some kind.
    for rule in allRules {
      #expect(!rule.tierOne.tableKinds.isEmpty, "\(rule.description.id)")
    }
  }

  @Test func fileOperationsWithOwnerAndLibraryHandlersStayInTierOne() {
    let selection = TierOneSelection.select(
      scanned([
        "drivers/a.c": """
        static const struct file_operations a_fops = {
          .owner = THIS_MODULE, .open = simple_open, .read = a_read, .release = single_release,
        };
        static ssize_t a_read(struct file *f) { return 0; }
        int a_init(void) { debugfs_create_file("a", 0444, NULL, NULL, &a_fops); return 0; }
        """
      ]))
    #expect(selection.files.isEmpty)
  }

  @Test func aDebugfsReleaseReachingIPrivateIsParsedWithItsHelpersFile() {
    let selection = TierOneSelection.select(
      scanned([
        "drivers/b.c": """
        extern int b_helper(void);
        static int b_release(struct inode *i, struct file *f) { return b_helper(i); }
        static const struct file_operations b_fops = { .release = b_release };
        int b_init(void) { debugfs_create_file("b", 0444, NULL, NULL, &b_fops); return 0; }
        """,
        "drivers/helper.c": "int b_helper(struct inode *i) { kfree(i->i_private); return 0; }\n",
        "drivers/unrelated.c": """
        static const struct file_operations u_fops = { .owner = THIS_MODULE, .read = seq_read };
        """,
      ]), canBeModule: { _ in true })
    #expect(selection.files == ["drivers/b.c", "drivers/helper.c"])
    #expect(selection.reasons["drivers/b.c"]?.contains("debugfs-release-i-private") == true)
  }

  @Test func builtInFilesCannotMissAnOwner() {
    let selection = TierOneSelection.select(
      scanned([
        "kernel/c.c": """
        static int c_open(struct inode *i, struct file *f) { return 0; }
        static const struct file_operations c_fops = { .open = c_open };
        int c_init(void) { misc_register(&c_misc); return 0; }
        static struct miscdevice c_misc = { .fops = &c_fops };
        """
      ]), canBeModule: { _ in false })
    #expect(selection.files.isEmpty)
  }

  @Test func severingTypesAreAlwaysParsed() {
    let selection = TierOneSelection.select(
      scanned([
        "fs/kernfs/file.c": "static void f(struct kernfs_ops *ops) { ops->seq_show(0, 0); }\n"
      ]))
    #expect(selection.files == ["fs/kernfs/file.c"])
  }

  @Test func registrationsOfAnExternalSeedAreParsed() {
    let selection = TierOneSelection.select(
      scanned([
        "drivers/d.c": """
        int d_open(struct inode *i, struct file *f)
        { f->private_data = kzalloc(8, GFP_KERNEL); return 0; }
        const struct file_operations d_fops = { .open = d_open };
        """,
        "drivers/e.c": "int e_init(void) { return register_chrdev(0, \"d\", &d_fops); }\n",
        "drivers/f.c": "int f_init(void) { return 0; }\n",
      ]), canBeModule: { _ in true })
    #expect(selection.files == ["drivers/d.c", "drivers/e.c"])
  }

  @Test func helpersInFilesThePrefilterLeftOutAreFoundAndSelected() {
    let support = [
      "drivers/gpu/pm.c": """
      int demo_pm_get(struct demo *d)
      {
      \treturn pm_runtime_get_sync(d->dev);
      }
      """
    ]
    let selection = TierOneSelection.select(
      scanned([
        "drivers/gpu/debugfs.c": """
        static int wake_open(struct inode *inode, struct file *file)
        { return demo_pm_get(inode->i_private); }
        static int wake_release(struct inode *inode, struct file *file)
        { struct demo *d = inode->i_private; d->x = 0; return 0; }
        static const struct file_operations wake_fops = {
          .owner = THIS_MODULE, .open = wake_open, .release = wake_release,
        };
        int wake_init(void) { debugfs_create_file("w", 0444, NULL, NULL, &wake_fops); return 0; }
        """
      ]), canBeModule: { _ in true },
      support: TierOneSelection.SupportFiles(
        definitions: ["demo_pm_get": ["drivers/gpu/pm.c"]],
        scan: { path in
          support[path].map {
            FileScanner.scan(path: path, bytes: Array($0.utf8), macros: MacroTable())
          }
        }))
    #expect(selection.files == ["drivers/gpu/debugfs.c", "drivers/gpu/pm.c"])
    #expect(DefinedFunctions.names(in: Array(support["drivers/gpu/pm.c"]!.utf8)) == ["demo_pm_get"])
  }
}
