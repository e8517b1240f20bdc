/* Module identity, as fixtures need it. */
#ifndef FIXTURE_MODULE_H
#define FIXTURE_MODULE_H
struct module;
extern struct module __this_module;
#ifdef MODULE
#define THIS_MODULE (&__this_module)
#else
#define THIS_MODULE ((struct module *)0)
#endif
int try_module_get(struct module *module);
void __module_get(struct module *module);
void module_put(struct module *module);
#define module_init(fn) int init_module(void) { return fn(); }
#define module_exit(fn) void cleanup_module(void) { fn(); }
#define MODULE_LICENSE(_license) static const char __module_license[] = _license
#endif
