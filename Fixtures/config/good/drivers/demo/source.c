/* Inline suppressions for SuppressionFilterTests: each finding line is named in the test. */
static int a(void)
{
	return 0; /* sever: ignore[kernfs-poll-head-lifetime] the head is on->poll, checked by hand */
}

/* sever: ignore[kernfs-call-after-release, kernfs-poll-head-lifetime] built-in only: obj-y */
static int b(void);

static int c(void); // sever: ignore[kernfs-poll-head-lifetime]

static int d(void); /* sever: ignore[kernfs-stale-priv] reason for another rule */
