/*
 * The mix of a proposed collective (docs/reseau.md, "The mix"): pure
 * functions, no request, no SQL.
 *
 * score = 40 x degree balance + 40 x seniority balance + 20 x nearness,
 * where a balance is min(a, b) / (n / 2) capped at 1 (0 when the
 * collective has one kind only) and nearness is 1 up to 30 km of largest
 * distance between two members' communes, 0 from 100 km, linear between.
 * The distance is the great-circle (haversine) distance on a sphere of
 * radius 6371 km between the communes' coordinates.
 */
#include <math.h>

#include "reseau.h"

#define EARTH_KM 6371.0
#define NEAR_KM	 30.0
#define FAR_KM	 100.0

double reseau_km(double lat1, double lon1, double lat2, double lon2)
{
	const double rad = M_PI / 180.0;
	double dlat = (lat2 - lat1) * rad, dlon = (lon2 - lon1) * rad;
	double a = sin(dlat / 2) * sin(dlat / 2) +
		   cos(lat1 * rad) * cos(lat2 * rad) * sin(dlon / 2) * sin(dlon / 2);

	return 2 * EARTH_KM * atan2(sqrt(a), sqrt(1 - a));
}

static double balance(int a, int b)
{
	double half = (a + b) / 2.0, lo = a < b ? a : b;

	if (half <= 0)
		return 0;
	return lo / half > 1 ? 1 : lo / half;
}

void reseau_mix_of(const struct reseau_vol *v, size_t n, const struct reseau_vol *pilot,
		   struct reseau_mix *m)
{
	double near;

	*m = (struct reseau_mix){0};
	for (size_t i = 0; i < n; i++) {
		if (v[i].degree_2d)
			m->n_2d++;
		else
			m->n_1d++;
		if (v[i].experienced)
			m->n_exp++;
		else
			m->n_neo++;
		for (size_t j = i + 1; j < n; j++) {
			double d = reseau_km(v[i].lat, v[i].lon, v[j].lat, v[j].lon);

			if (d > m->max_km)
				m->max_km = d;
		}
	}
	m->pilot_qualified = pilot != NULL && pilot->qualified;
	near = m->max_km <= NEAR_KM   ? 1
	       : m->max_km >= FAR_KM ? 0
				     : (FAR_KM - m->max_km) / (FAR_KM - NEAR_KM);
	m->score = n == 0 ? 0
			  : (int)lround(40 * balance(m->n_1d, m->n_2d) +
					40 * balance(m->n_neo, m->n_exp) + 20 * near);
}

const char *reseau_level(int score)
{
	return score >= 70 ? "good" : score >= 45 ? "fair" : "poor";
}
