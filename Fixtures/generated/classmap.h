/* A small class map written for sever, in the shape of security/selinux/include/classmap.h. */
#define COMMON_DEMO_PERMS "ioctl", "read", \
	"write"

const struct security_class_mapping secclass_map[] = {
	{ "security", { "compute_av", "load_policy", NULL } },
	{ "file", { COMMON_DEMO_PERMS, "execute_no_trans", NULL } },
	{ "tcp_socket", { COMMON_DEMO_PERMS, "name_connect", NULL } },
	{ NULL }
};
