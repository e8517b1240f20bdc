/* Initial SIDs written for sever, in the shape of the kernel's. */
static const char *const initial_sid_to_string[] = {
	NULL, /* zero placeholder, not used */
	"kernel",
	NULL, /* fs */
	"devnull",
};
