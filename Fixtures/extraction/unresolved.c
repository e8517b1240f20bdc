/* A table whose struct was never defined: sever must report it as unresolved, not skip it. */
struct proc_ops;
static int unresolved_open(void) { return 0; }
static const struct proc_ops unresolved_ops = {
	.proc_open = unresolved_open,
};
