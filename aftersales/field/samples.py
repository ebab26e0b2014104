"""Fixed sample days for the route optimiser: the tests and ``benchmarks/bench_routing.py`` share them.

A seeded random day in a Tehran-sized box (35.60–35.80 N, 51.20–51.55 E, about 22 km by 31 km), so that a figure
measured today can be measured again tomorrow on the same coordinates. The shops keep Iranian hours: a morning
shift (09–13), an evening shift (16–20), a long day (10–18) or any time.
"""

import random

from aftersales.field.routing import StopInput

BOX = (35.60, 35.80, 51.20, 51.55)  # south, north, west, east
OFFICE = (35.70, 51.39)  # the marketer's start point, near the middle of town
DAY_START_S = 8 * 3600
DAY_END_S = 21 * 3600
HOUR = 3600
WINDOWS = ((9 * HOUR, 13 * HOUR), (16 * HOUR, 20 * HOUR), (10 * HOUR, 18 * HOUR), (None, None))
WINDOW_WEIGHTS = (1, 1, 2, 6)
SEED = 18  # the number


def tehran_day(stops: int = 60, *, seed: int = SEED, windows: bool = True) -> list[StopInput]:
    """``stops`` visits in the box, in the order a manager might have typed them (random), with short visits."""
    rng = random.Random(seed)
    south, north, west, east = BOX
    day = []
    for key in range(stops):
        lat, lon = round(rng.uniform(south, north), 6), round(rng.uniform(west, east), 6)
        opens, closes = rng.choices(WINDOWS, WINDOW_WEIGHTS)[0] if windows else (None, None)
        day.append(StopInput(key=key, lat=lat, lon=lon, opens_s=opens, closes_s=closes,
                             service_s=rng.choice((120, 180, 300))))
    return day
