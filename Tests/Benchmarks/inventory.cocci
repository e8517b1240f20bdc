// Inventory of initialised callback tables, for Tests/Benchmarks/bench.sh (issue 8).
//
// For every definition of a struct kernfs_ops, proc_ops, file_operations, cftype,
// vm_operations_struct, seq_operations or miscdevice with an initialiser (one table, or an
// array of them such as cftype files[]), print one TABLE line and one FIELD line per designated
// field, tab-separated so the bench can count them:
//   TABLE <kind> <file> <line> <name>
//   FIELD <kind> <file> <line> <name> <field> <value> [<element line>]
// (value: the handler's expression; element line: which entry of an array)
// Tables made by macros (DEFINE_SHOW_ATTRIBUTE, ...) are not seen: the bench gives spatch no
// macro file and --no-includes (sever scan knows some such macros by name; the bench's table per
// type has a column without them). Rules name their type instead of matching any type and
// filtering, so Coccinelle's token prefilter stays effective: a file is parsed only if it spells
// one of the type names. With -j, spatch gathers each worker's standard output in a
// file of a directory it makes in the current one, and prints them at the end.

@initialize:python@
@@
import sys

def emit(*cols):
    sys.stdout.write("\t".join(" ".join(str(c).split()) for c in cols) + "\n")
    sys.stdout.flush()

def table(kind, p, t):
    emit("TABLE", kind, p[0].file, p[0].line, t)

def field(kind, p, t, f, h, q=None):
    emit("FIELD", kind, p[0].file, p[0].line, t, f, h, *([q[0].line] if q else []))

// ---- struct kernfs_ops

@kops@
identifier t;
position p;
@@
struct kernfs_ops t@p = { ... };

@kops_f@
identifier kops.t, f;
expression h;
position kops.p;
@@
struct kernfs_ops t@p = { ..., .f = h, ... };

@kops_a@
identifier t;
position p;
@@
struct kernfs_ops t@p[] = { ... };

@kops_af@
identifier kops_a.t, f;
expression h;
position kops_a.p, q;
@@
struct kernfs_ops t@p[] = { ..., {@q ..., .f = h, ... }, ... };

@script:python@
p << kops.p;
t << kops.t;
@@
table("kernfs_ops", p, t)

@script:python@
p << kops.p;
t << kops.t;
f << kops_f.f;
h << kops_f.h;
@@
field("kernfs_ops", p, t, f, h)

@script:python@
p << kops_a.p;
t << kops_a.t;
@@
table("kernfs_ops", p, t + "[]")

@script:python@
p << kops_a.p;
t << kops_a.t;
f << kops_af.f;
h << kops_af.h;
q << kops_af.q;
@@
field("kernfs_ops", p, t + "[]", f, h, q)

// ---- struct proc_ops

@pops@
identifier t;
position p;
@@
struct proc_ops t@p = { ... };

@pops_f@
identifier pops.t, f;
expression h;
position pops.p;
@@
struct proc_ops t@p = { ..., .f = h, ... };

@pops_a@
identifier t;
position p;
@@
struct proc_ops t@p[] = { ... };

@pops_af@
identifier pops_a.t, f;
expression h;
position pops_a.p, q;
@@
struct proc_ops t@p[] = { ..., {@q ..., .f = h, ... }, ... };

@script:python@
p << pops.p;
t << pops.t;
@@
table("proc_ops", p, t)

@script:python@
p << pops.p;
t << pops.t;
f << pops_f.f;
h << pops_f.h;
@@
field("proc_ops", p, t, f, h)

@script:python@
p << pops_a.p;
t << pops_a.t;
@@
table("proc_ops", p, t + "[]")

@script:python@
p << pops_a.p;
t << pops_a.t;
f << pops_af.f;
h << pops_af.h;
q << pops_af.q;
@@
field("proc_ops", p, t + "[]", f, h, q)

// ---- struct file_operations

@fops@
identifier t;
position p;
@@
struct file_operations t@p = { ... };

@fops_f@
identifier fops.t, f;
expression h;
position fops.p;
@@
struct file_operations t@p = { ..., .f = h, ... };

@fops_a@
identifier t;
position p;
@@
struct file_operations t@p[] = { ... };

@fops_af@
identifier fops_a.t, f;
expression h;
position fops_a.p, q;
@@
struct file_operations t@p[] = { ..., {@q ..., .f = h, ... }, ... };

@script:python@
p << fops.p;
t << fops.t;
@@
table("file_operations", p, t)

@script:python@
p << fops.p;
t << fops.t;
f << fops_f.f;
h << fops_f.h;
@@
field("file_operations", p, t, f, h)

@script:python@
p << fops_a.p;
t << fops_a.t;
@@
table("file_operations", p, t + "[]")

@script:python@
p << fops_a.p;
t << fops_a.t;
f << fops_af.f;
h << fops_af.h;
q << fops_af.q;
@@
field("file_operations", p, t + "[]", f, h, q)

// ---- struct cftype

@cft@
identifier t;
position p;
@@
struct cftype t@p = { ... };

@cft_f@
identifier cft.t, f;
expression h;
position cft.p;
@@
struct cftype t@p = { ..., .f = h, ... };

@cft_a@
identifier t;
position p;
@@
struct cftype t@p[] = { ... };

@cft_af@
identifier cft_a.t, f;
expression h;
position cft_a.p, q;
@@
struct cftype t@p[] = { ..., {@q ..., .f = h, ... }, ... };

@script:python@
p << cft.p;
t << cft.t;
@@
table("cftype", p, t)

@script:python@
p << cft.p;
t << cft.t;
f << cft_f.f;
h << cft_f.h;
@@
field("cftype", p, t, f, h)

@script:python@
p << cft_a.p;
t << cft_a.t;
@@
table("cftype", p, t + "[]")

@script:python@
p << cft_a.p;
t << cft_a.t;
f << cft_af.f;
h << cft_af.h;
q << cft_af.q;
@@
field("cftype", p, t + "[]", f, h, q)

// ---- struct vm_operations_struct

@vmops@
identifier t;
position p;
@@
struct vm_operations_struct t@p = { ... };

@vmops_f@
identifier vmops.t, f;
expression h;
position vmops.p;
@@
struct vm_operations_struct t@p = { ..., .f = h, ... };

@vmops_a@
identifier t;
position p;
@@
struct vm_operations_struct t@p[] = { ... };

@vmops_af@
identifier vmops_a.t, f;
expression h;
position vmops_a.p, q;
@@
struct vm_operations_struct t@p[] = { ..., {@q ..., .f = h, ... }, ... };

@script:python@
p << vmops.p;
t << vmops.t;
@@
table("vm_operations_struct", p, t)

@script:python@
p << vmops.p;
t << vmops.t;
f << vmops_f.f;
h << vmops_f.h;
@@
field("vm_operations_struct", p, t, f, h)

@script:python@
p << vmops_a.p;
t << vmops_a.t;
@@
table("vm_operations_struct", p, t + "[]")

@script:python@
p << vmops_a.p;
t << vmops_a.t;
f << vmops_af.f;
h << vmops_af.h;
q << vmops_af.q;
@@
field("vm_operations_struct", p, t + "[]", f, h, q)

// ---- struct seq_operations

@sops@
identifier t;
position p;
@@
struct seq_operations t@p = { ... };

@sops_f@
identifier sops.t, f;
expression h;
position sops.p;
@@
struct seq_operations t@p = { ..., .f = h, ... };

@sops_a@
identifier t;
position p;
@@
struct seq_operations t@p[] = { ... };

@sops_af@
identifier sops_a.t, f;
expression h;
position sops_a.p, q;
@@
struct seq_operations t@p[] = { ..., {@q ..., .f = h, ... }, ... };

@script:python@
p << sops.p;
t << sops.t;
@@
table("seq_operations", p, t)

@script:python@
p << sops.p;
t << sops.t;
f << sops_f.f;
h << sops_f.h;
@@
field("seq_operations", p, t, f, h)

@script:python@
p << sops_a.p;
t << sops_a.t;
@@
table("seq_operations", p, t + "[]")

@script:python@
p << sops_a.p;
t << sops_a.t;
f << sops_af.f;
h << sops_af.h;
q << sops_af.q;
@@
field("seq_operations", p, t + "[]", f, h, q)

// ---- struct miscdevice

@misc@
identifier t;
position p;
@@
struct miscdevice t@p = { ... };

@misc_f@
identifier misc.t, f;
expression h;
position misc.p;
@@
struct miscdevice t@p = { ..., .f = h, ... };

@misc_a@
identifier t;
position p;
@@
struct miscdevice t@p[] = { ... };

@misc_af@
identifier misc_a.t, f;
expression h;
position misc_a.p, q;
@@
struct miscdevice t@p[] = { ..., {@q ..., .f = h, ... }, ... };

@script:python@
p << misc.p;
t << misc.t;
@@
table("miscdevice", p, t)

@script:python@
p << misc.p;
t << misc.t;
f << misc_f.f;
h << misc_f.h;
@@
field("miscdevice", p, t, f, h)

@script:python@
p << misc_a.p;
t << misc_a.t;
@@
table("miscdevice", p, t + "[]")

@script:python@
p << misc_a.p;
t << misc_a.t;
f << misc_af.f;
h << misc_af.h;
q << misc_af.q;
@@
field("miscdevice", p, t + "[]", f, h, q)
