import SeverCore

/// The framework functions that take a callback table, with the position of the table argument.
///
/// Any call whose argument names a table variable is a registration whatever the callee; this
/// catalogue adds the calls whose table argument is not a plain variable (a parameter, a field),
/// so wrappers that pass tables through are still seen.
enum RegistrationCatalog {
  /// Callee name → 0-based index of the table argument.
  static let tableArgument: [String: Int] = [
    // kernfs (fs/kernfs/file.c, include/linux/kernfs.h)
    "__kernfs_create_file": 6, "kernfs_create_file_ns": 6, "kernfs_create_file": 4,
    // cgroup (kernel/cgroup/cgroup.c)
    "cgroup_add_dfl_cftypes": 1, "cgroup_add_legacy_cftypes": 1, "cgroup_add_cftypes": 1,
    "cgroup_init_cftypes": 1, "cgroup_addrm_files": 2, "cgroup_rm_cftypes": 0,
    // procfs (fs/proc/generic.c, fs/proc/proc_net.c)
    "proc_create": 3, "proc_create_data": 3, "proc_create_seq": 3, "proc_create_seq_data": 3,
    "proc_create_seq_private": 3, "proc_create_net": 3, "proc_create_net_data": 3,
    "proc_create_net_data_write": 3, "proc_create_single": 3, "proc_create_single_data": 3,
    "proc_create_net_single": 3, "proc_create_net_single_write": 3,
    // debugfs (fs/debugfs/inode.c)
    "debugfs_create_file": 4, "debugfs_create_file_unsafe": 4, "debugfs_create_file_size": 4,
    "debugfs_create_file_full": 5, "debugfs_create_file_aux": 5, "debugfs_create_file_aux_num": 5,
    // character and misc devices, anonymous inodes
    "cdev_init": 1, "misc_register": 0, "register_chrdev": 2, "__register_chrdev": 4,
    "anon_inode_getfd": 1, "anon_inode_getfile": 1, "anon_inode_getfd_secure": 1,
    "anon_inode_create_getfile": 1, "anon_inode_getfile_fmode": 1,
    // sysfs and the driver core
    "sysfs_create_file": 1, "sysfs_create_file_ns": 1, "sysfs_create_files": 1,
    "sysfs_create_bin_file": 1, "sysfs_create_group": 1, "sysfs_create_groups": 1,
    "sysfs_update_group": 1, "device_create_file": 1, "device_create_bin_file": 1,
    "driver_create_file": 1, "class_create_file": 1, "class_create_file_ns": 1,
    "bus_create_file": 1,
    // seq_file
    "seq_open": 1, "seq_open_private": 1, "__seq_open_private": 1,
  ]
}
