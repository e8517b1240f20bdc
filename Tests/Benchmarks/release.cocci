// The narrow inventory of issue 8, for Tests/Benchmarks/bench.sh: every struct kernfs_ops with
// a .release and every struct proc_ops with a .proc_release (proc's release hook), one line each:
//   RELEASE <kind> <file> <line> <name> <handler>
// With -j, spatch gathers each worker's standard output and prints it at the end.

@initialize:python@
@@
import sys

def emit(*cols):
    sys.stdout.write("\t".join(" ".join(str(c).split()) for c in cols) + "\n")
    sys.stdout.flush()

@k@
identifier t;
expression h;
position p;
@@
struct kernfs_ops t@p = { ..., .release = h, ... };

@pr@
identifier t;
expression h;
position p;
@@
struct proc_ops t@p = { ..., .proc_release = h, ... };

@script:python@
p << k.p;
t << k.t;
h << k.h;
@@
emit("RELEASE", "kernfs_ops", p[0].file, p[0].line, t, h)

@script:python@
p << pr.p;
t << pr.t;
h << pr.h;
@@
emit("RELEASE", "proc_ops", p[0].file, p[0].line, t, h)
