/* A station and its driver-private part, reached through an accessor (fixture, not kernel code). */
#ifndef FIXTURE_DEMO_STATION_H
#define FIXTURE_DEMO_STATION_H
#include <linux/types.h>

struct demo_station {
	int aid;
	u64 drv_priv[4];
};

struct demo_station_priv {
	int stats_open;
	void *stats;
};

static inline struct demo_station_priv *demo_station_priv(struct demo_station *sta)
{
	return (struct demo_station_priv *)sta->drv_priv;
}
#endif
