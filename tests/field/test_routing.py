"""The route optimiser (issue 18): the order of a marketer's day on the fixed sample coordinates.

The solver's limit stays at a second or two here so that the file runs in well under a minute; the benchmark
(``benchmarks/bench_routing.py``) measures the real limits.
"""

import json
import logging
import threading
import time
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from aftersales.field.routing import StopInput, distance_matrix, plan_day, route_points, straight_line_matrix
from aftersales.field.samples import DAY_END_S, DAY_START_S, OFFICE, tehran_day

HOUR = 3600
LIMIT = 1.5  # seconds of search per day in these tests


def _stop(key, stops):
    return next(s for s in stops if s.key == key)


def _assert_within_windows(plan, stops, *, day_start_s, day_end_s):
    by_key = {s.key: s for s in stops}
    for key in plan.order:
        stop, arrival = by_key[key], plan.arrivals[key]
        opens = stop.opens_s if stop.opens_s is not None else day_start_s
        closes = stop.closes_s if stop.closes_s is not None else day_end_s
        assert opens <= arrival <= closes, (key, opens, arrival, closes)
        assert day_start_s <= arrival and arrival + stop.service_s <= day_end_s


def test_the_optimised_order_is_much_shorter_than_the_typed_order():
    stops = tehran_day(windows=False)
    plan = plan_day(stops=stops, start=OFFICE, day_start_s=DAY_START_S, day_end_s=DAY_END_S, time_limit_s=LIMIT)
    assert sorted(plan.order) == sorted(s.key for s in stops)
    assert plan.not_fitted == [] and plan.no_position == []
    assert plan.distance_m < 0.85 * plan.typed_distance_m
    assert plan.duration_s < plan.typed_duration_s


def test_every_time_window_and_the_working_day_are_honoured_on_the_sample_day():
    stops = tehran_day()
    plan = plan_day(stops=stops, start=OFFICE, day_start_s=DAY_START_S, day_end_s=DAY_END_S, time_limit_s=LIMIT)
    assert len(plan.order) >= 50  # the solver fits (nearly) the whole day in a second and a half
    assert sorted(plan.order + plan.not_fitted) == sorted(s.key for s in stops)
    _assert_within_windows(plan, stops, day_start_s=DAY_START_S, day_end_s=DAY_END_S)
    assert DAY_START_S + plan.duration_s <= DAY_END_S
    assert plan.distance_m < plan.typed_distance_m


def test_arrivals_follow_the_order_with_travel_and_service_time():
    stops = tehran_day(12)
    plan = plan_day(stops=stops, start=OFFICE, day_start_s=DAY_START_S, day_end_s=DAY_END_S, time_limit_s=LIMIT)
    by_key = {s.key: s for s in stops}
    arrivals = [plan.arrivals[key] for key in plan.order]
    assert arrivals == sorted(arrivals)
    for before, after in zip(plan.order, plan.order[1:]):
        assert plan.arrivals[after] >= plan.arrivals[before] + by_key[before].service_s
    last = plan.order[-1]
    assert plan.duration_s == plan.arrivals[last] + by_key[last].service_s - DAY_START_S


def test_a_short_working_day_gives_a_partial_plan_within_the_hours():
    stops = tehran_day(30, windows=False)
    day_end = DAY_START_S + 2 * HOUR
    plan = plan_day(stops=stops, start=OFFICE, day_start_s=DAY_START_S, day_end_s=day_end, time_limit_s=LIMIT)
    assert plan.order and plan.not_fitted
    assert sorted(plan.order + plan.not_fitted) == sorted(s.key for s in stops)
    assert DAY_START_S + plan.duration_s <= day_end
    _assert_within_windows(plan, stops, day_start_s=DAY_START_S, day_end_s=day_end)


def test_an_infeasible_set_of_windows_gives_the_best_partial_plan_and_lists_what_did_not_fit():
    # Three shops at the box's corners, each open for five minutes at 09:00: one visit at most can be made.
    stops = [StopInput(key=k, lat=lat, lon=lon, opens_s=9 * HOUR, closes_s=9 * HOUR + 300, service_s=600)
             for k, (lat, lon) in enumerate([(35.61, 51.21), (35.79, 51.54), (35.61, 51.54)], start=1)]
    stops.append(StopInput(key=9, lat=35.70, lon=51.40))  # any time: always fits
    plan = plan_day(stops=stops, start=OFFICE, day_start_s=DAY_START_S, day_end_s=DAY_END_S, time_limit_s=LIMIT)
    assert 9 in plan.order
    assert len([k for k in plan.order if k != 9]) == 1
    assert len(plan.not_fitted) == 2
    _assert_within_windows(plan, stops, day_start_s=DAY_START_S, day_end_s=DAY_END_S)


def test_a_window_outside_the_working_day_or_closing_before_it_opens_is_not_fitted():
    stops = [StopInput(key=1, lat=35.70, lon=51.40, opens_s=22 * HOUR, closes_s=23 * HOUR),
             StopInput(key=2, lat=35.71, lon=51.41, opens_s=12 * HOUR, closes_s=11 * HOUR),
             StopInput(key=3, lat=35.72, lon=51.42, opens_s=10 * HOUR, closes_s=12 * HOUR)]
    plan = plan_day(stops=stops, start=OFFICE, day_start_s=DAY_START_S, day_end_s=DAY_END_S, time_limit_s=LIMIT)
    assert plan.order == [3] and sorted(plan.not_fitted) == [1, 2]
    assert plan.arrivals[3] == 10 * HOUR  # came early, waited for the shop to open


def test_stops_without_coordinates_are_reported_apart_and_never_routed():
    stops = tehran_day(8) + [StopInput(key=100, lat=None, lon=None), StopInput(key=101, lat=35.7, lon=None)]
    plan = plan_day(stops=stops, start=OFFICE, day_start_s=DAY_START_S, day_end_s=DAY_END_S, time_limit_s=LIMIT)
    assert plan.no_position == [100, 101]
    assert 100 not in plan.order and 101 not in plan.not_fitted
    assert sorted(plan.order + plan.not_fitted) == list(range(8))


@pytest.mark.parametrize("pins", [{0: 7}, {3: 0, 9: 14}, {5: 2, 6: 3, 11: 4}])
def test_pinned_stops_keep_their_positions(pins):
    stops = [StopInput(**{**s.__dict__, "pinned_at": pins.get(s.key)}) for s in tehran_day(15, windows=False)]
    plan = plan_day(stops=stops, start=OFFICE, day_start_s=DAY_START_S, day_end_s=DAY_END_S, time_limit_s=LIMIT)
    assert len(plan.order) == 15 and plan.not_fitted == []
    for key, position in pins.items():
        assert plan.order[position] == key


def test_pins_hold_with_time_windows_and_the_rest_is_still_optimised():
    base = tehran_day(20)
    free = plan_day(stops=base, start=OFFICE, day_start_s=DAY_START_S, day_end_s=DAY_END_S, time_limit_s=LIMIT)
    key = free.order[-1]  # the stop the solver visits last is pinned first by the manager
    if _stop(key, base).opens_s and _stop(key, base).opens_s > 12 * HOUR:
        key = free.order[-2]
    stops = [StopInput(**{**s.__dict__, "pinned_at": 0 if s.key == key else None}) for s in base]
    plan = plan_day(stops=stops, start=OFFICE, day_start_s=DAY_START_S, day_end_s=DAY_END_S, time_limit_s=LIMIT)
    assert plan.order[0] == key
    _assert_within_windows(plan, stops, day_start_s=DAY_START_S, day_end_s=DAY_END_S)
    assert plan.distance_m < plan.typed_distance_m


def test_a_pin_beyond_the_days_length_keeps_the_stop_last():
    stops = [StopInput(**{**s.__dict__, "pinned_at": 99 if s.key == 2 else None}) for s in tehran_day(6, windows=False)]
    plan = plan_day(stops=stops, start=OFFICE, day_start_s=DAY_START_S, day_end_s=DAY_END_S, time_limit_s=LIMIT)
    assert plan.order[-1] == 2 and len(plan.order) == 6


def test_without_a_start_point_the_first_typed_stop_starts_the_day():
    stops = tehran_day(10, windows=False)
    plan = plan_day(stops=stops, start=None, day_start_s=DAY_START_S, day_end_s=DAY_END_S, time_limit_s=LIMIT)
    assert plan.order[0] == stops[0].key
    assert plan.arrivals[stops[0].key] == DAY_START_S


def test_returning_to_the_start_counts_the_way_back():
    stops = tehran_day(10, windows=False)
    open_plan = plan_day(stops=stops, start=OFFICE, day_start_s=DAY_START_S, day_end_s=DAY_END_S,
                         time_limit_s=LIMIT)
    round_trip = plan_day(stops=stops, start=OFFICE, day_start_s=DAY_START_S, day_end_s=DAY_END_S,
                          time_limit_s=LIMIT, return_to_start=True)
    matrix = straight_line_matrix(route_points(stops=stops, start=OFFICE))
    assert round_trip.distance_m > open_plan.distance_m
    assert round_trip.typed_distance_m == open_plan.typed_distance_m + matrix.metres[len(stops)][0]


@pytest.mark.parametrize("stops", [
    [],
    [StopInput(key=1, lat=None, lon=None), StopInput(key=2, lat=None, lon=None)],
    [StopInput(key=1, lat=35.7, lon=51.4)],
    [StopInput(key=k, lat=35.7, lon=51.4) for k in range(6)],
], ids=["no stops", "none with coordinates", "one stop", "identical points"])
def test_degenerate_days_are_planned_fast(stops):
    started = time.perf_counter()
    plan = plan_day(stops=stops, start=None, day_start_s=DAY_START_S, day_end_s=DAY_END_S, time_limit_s=30)
    assert time.perf_counter() - started < 2
    positioned = [s.key for s in stops if s.lat is not None]
    assert sorted(plan.order) == positioned and plan.not_fitted == []
    assert plan.no_position == [s.key for s in stops if s.lat is None]
    assert plan.distance_m == 0 or len({(s.lat, s.lon) for s in stops}) > 1


def test_one_stop_that_misses_its_window_is_not_fitted():
    stops = [StopInput(key=1, lat=35.79, lon=51.54, opens_s=8 * HOUR, closes_s=8 * HOUR + 60)]
    plan = plan_day(stops=stops, start=(35.61, 51.21), day_start_s=DAY_START_S, day_end_s=DAY_END_S)
    assert plan.order == [] and plan.not_fitted == [1]


def test_the_default_time_limit_comes_from_the_settings(settings):
    settings.FIELD_SOLVER_SECONDS = 1
    started = time.perf_counter()
    plan_day(stops=tehran_day(25), start=OFFICE, day_start_s=DAY_START_S, day_end_s=DAY_END_S)
    assert time.perf_counter() - started < 3


def test_the_matrix_is_in_metres_and_seconds_at_the_set_speed(settings):
    settings.FIELD_SPEED_KMH, settings.FIELD_DETOUR_FACTOR = 36, 1.0
    matrix = distance_matrix([(35.70, 51.40), (35.80, 51.40)])  # 0.1 degree of latitude: about 11.1 km
    assert 11_000 < matrix.metres[0][1] < 11_200 and matrix.metres[1][0] == matrix.metres[0][1]
    assert matrix.seconds[0][1] == round(matrix.metres[0][1] / 10)  # 36 km/h is 10 m/s
    assert matrix.metres[0][0] == 0 and matrix.source == "straight"


class _Osrm(BaseHTTPRequestHandler):
    """A routing server answering OSRM's /table with 1 km and 100 s between any two different points."""

    requests: list[str] = []

    def do_GET(self):  # noqa: N802 (http.server's name)
        type(self).requests.append(self.path)
        coordinates = self.path.split("/table/v1/driving/")[1].split("?")[0].split(";")
        size = len(coordinates)
        body = {"code": "Ok",
                "distances": [[0 if i == j else 1000 + i for j in range(size)] for i in range(size)],
                "durations": [[0 if i == j else 100 for j in range(size)] for i in range(size)]}
        if size > 2:
            body["distances"][0][size - 1] = None  # no road known: that pair falls back to a straight line
        payload = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args):
        pass


@pytest.fixture
def osrm_server():
    server = HTTPServer(("127.0.0.1", 0), _Osrm)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _Osrm.requests = []
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_road_distances_come_from_the_routing_server_when_one_is_set(settings, osrm_server):
    settings.FIELD_ROUTING_URL = osrm_server + "/"
    points = [(35.70, 51.40), (35.75, 51.45), (35.61, 51.21)]
    matrix = distance_matrix(points)
    assert matrix.source == "osrm"
    assert _Osrm.requests == ["/table/v1/driving/51.400000,35.700000;51.450000,35.750000;51.210000,35.610000"
                              "?annotations=distance,duration"]
    assert matrix.metres[0][1] == 1000 and matrix.metres[1][0] == 1001 and matrix.seconds[2][1] == 100
    assert matrix.metres[0][2] == straight_line_matrix(points).metres[0][2]  # the pair without a road
    plan = plan_day(stops=[StopInput(key=k, lat=lat, lon=lon) for k, (lat, lon) in enumerate(points[1:])],
                    start=points[0], day_start_s=DAY_START_S, day_end_s=DAY_END_S, time_limit_s=LIMIT)
    assert plan.order and plan.distance_m in (1000 + 1001, straight_line_matrix(points).metres[0][2] + 1002)


def test_a_routing_server_that_is_down_falls_back_to_straight_lines_with_a_warning(settings, caplog):
    import socket

    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.FIELD_ROUTING_URL = f"http://127.0.0.1:{port}"
    points = [(35.70, 51.40), (35.75, 51.45)]
    with caplog.at_level(logging.WARNING, logger="aftersales.field.routing"):
        matrix = distance_matrix(points)
    assert matrix.source == "straight" and matrix.metres == straight_line_matrix(points).metres
    assert "routing server" in caplog.text
    plan = plan_day(stops=[StopInput(key=1, lat=35.75, lon=51.45)], start=points[0], day_start_s=DAY_START_S,
                    day_end_s=DAY_END_S)
    assert plan.order == [1] and plan.distance_m == matrix.metres[0][1]
