"""Order a marketer's day of visits: OR-Tools on a distance matrix, with time windows, pins and a time limit.

Pure Python and OR-Tools, no models: the tours part hands in ``StopInput`` rows (keys are its TourStop pks) and
stores what ``plan_day`` returns. Distances are integer metres, durations integer seconds from midnight.

Why the model looks the way it does:

- The start point is the depot and the route is open by default: a marketer ends the day at the last shop, so the
  route ends at a dummy node that costs nothing to reach (``return_to_start`` makes the depot the end as well).
- Every stop sits in a disjunction with a large penalty. An infeasible set of opening hours then still gives the
  solver's best partial plan, with the dropped stops in ``not_fitted``, never an exception or an empty answer.
- A manager's pin fixes a stop's 0-based position in the visiting order. A "position" dimension counts the stops
  visited so far (one per node), and a pinned stop's cumul on it is fixed, so the solver orders the unpinned
  stops around the pins, under the same time windows.
- The solver always runs under a time limit: an infeasible time-window model without one searched for more than
  a minute in our feasibility study (/work/shared/research/stack-feasibility.md §6).
- The matrix comes from an OSRM routing server when ``settings.FIELD_ROUTING_URL`` is set; any failure (down,
  slow, malformed answer) falls back to straight-line distances stretched by ``FIELD_DETOUR_FACTOR``, with a
  warning in the log, so that a broken routing server never stops a manager from planning.
"""

from __future__ import annotations

import json
import logging
import math
import urllib.request
from dataclasses import dataclass, field

logger = logging.getLogger(__name__)

EARTH_RADIUS_M = 6_371_008.8
OSRM_TIMEOUT_S = 5  # a routing server slower than this is treated as down: straight lines are good enough
SMALL_DAY_STOPS = 10  # up to this many stops the solver's limit is capped (the search space is tiny)
SMALL_DAY_SECONDS_PER_STOP = 0.1

INSERTION_OPERATORS = ("use_global_cheapest_insertion_close_nodes_lns", "use_local_cheapest_insertion_close_nodes_lns",
                       "use_global_cheapest_insertion_expensive_chain_lns",
                       "use_local_cheapest_insertion_expensive_chain_lns")

# Defaults when Django's settings are not configured (the module is usable from a plain script).
DEFAULT_SPEED_KMH = 30
DEFAULT_DETOUR_FACTOR = 1.3
DEFAULT_SOLVER_SECONDS = 3


@dataclass(frozen=True)
class StopInput:
    key: int  # the caller's id (a TourStop pk, or an index in tests/benchmarks)
    lat: float | None  # None: no coordinates -> never routed, returned in `no_position`
    lon: float | None
    opens_s: int | None = None  # time window in seconds from midnight (None = any time)
    closes_s: int | None = None
    service_s: int = 1200  # time spent at the stop
    pinned_at: int | None = None  # 0-based position the stop must keep in the day's order (a manager's pin)


@dataclass
class DayPlan:
    order: list[int]  # keys in visiting order (routed stops only)
    arrivals: dict[int, int]  # key -> planned arrival (start of the visit), seconds from midnight
    not_fitted: list[int]  # keys the solver could not fit in time windows / working hours (best partial plan)
    no_position: list[int]  # keys without coordinates (the caller puts them last, flagged)
    distance_m: int  # length of the planned order, start -> stops (-> start if return_to_start)
    duration_s: int  # travel + waiting + service from the day's start to the last stop's departure (+ the way
    # back when return_to_start)
    typed_distance_m: int  # the same for the order the stops were given in (routed ones, no windows)
    typed_duration_s: int
    is_optimal_proven: bool = False


@dataclass
class DistanceMatrix:
    """Metres and seconds between every pair of points, ``metres[i][j]`` from point i to point j."""

    metres: list[list[int]]
    seconds: list[list[int]]
    source: str = "straight"  # "osrm" when the routing server answered

    def __len__(self) -> int:
        return len(self.metres)


@dataclass
class _Day:
    """The routed stops of one day with the depot first: index 0 is the start, stop i is index i + 1."""

    stops: list[StopInput]
    depot: tuple[float, float]
    pins: dict[int, int] = field(default_factory=dict)  # stop index -> position in the order


def _setting(name: str, default):
    try:
        from django.conf import settings

        return getattr(settings, name, default)
    except Exception:  # settings not configured: a plain script or a benchmark outside Django
        return default


def haversine_m(a: tuple[float, float], b: tuple[float, float]) -> float:
    """The great-circle distance in metres between two (lat, lon) points."""
    lat1, lon1, lat2, lon2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(h)))


def _seconds_for(metres: float) -> int:
    speed_ms = max(1.0, float(_setting("FIELD_SPEED_KMH", DEFAULT_SPEED_KMH))) * 1000 / 3600
    return int(round(metres / speed_ms))


def straight_line_matrix(points: list[tuple[float, float]]) -> DistanceMatrix:
    """Haversine distances stretched by FIELD_DETOUR_FACTOR (streets are not straight), timed at FIELD_SPEED_KMH."""
    detour = float(_setting("FIELD_DETOUR_FACTOR", DEFAULT_DETOUR_FACTOR))
    metres = [[int(round(haversine_m(a, b) * detour)) for b in points] for a in points]
    return DistanceMatrix(metres=metres, seconds=[[_seconds_for(m) for m in row] for row in metres], source="straight")


def _osrm_matrix(base_url: str, points: list[tuple[float, float]]) -> DistanceMatrix:
    coordinates = ";".join(f"{lon:.6f},{lat:.6f}" for lat, lon in points)
    url = f"{base_url.rstrip('/')}/table/v1/driving/{coordinates}?annotations=distance,duration"
    with urllib.request.urlopen(url, timeout=OSRM_TIMEOUT_S) as response:  # noqa: S310 (a configured server)
        body = json.loads(response.read().decode("utf-8"))
    if body.get("code") != "Ok":
        raise ValueError(f"routing server answered {body.get('code')!r}")
    distances, durations = body.get("distances"), body.get("durations")
    size = len(points)
    if (not isinstance(distances, list) or not isinstance(durations, list) or len(distances) != size
            or len(durations) != size or any(len(row) != size for row in distances + durations)):
        raise ValueError("routing server's table does not match the points asked for")
    fallback = None
    metres = [[0] * size for _ in range(size)]
    seconds = [[0] * size for _ in range(size)]
    for i in range(size):
        for j in range(size):
            distance, duration = distances[i][j], durations[i][j]
            if distance is None or duration is None:  # no road between the two: a straight line for this pair
                fallback = fallback or straight_line_matrix(points)
                distance, duration = fallback.metres[i][j], fallback.seconds[i][j]
            metres[i][j], seconds[i][j] = int(round(float(distance))), int(round(float(duration)))
    return DistanceMatrix(metres=metres, seconds=seconds, source="osrm")


def distance_matrix(points: list[tuple[float, float]]) -> DistanceMatrix:
    """Metres and seconds between every pair: from the routing server (settings.FIELD_ROUTING_URL, OSRM's
    /table/v1/driving/ API) when configured and reachable, else haversine x FIELD_DETOUR_FACTOR at FIELD_SPEED_KMH."""
    base_url = _setting("FIELD_ROUTING_URL", "")
    if base_url and len(points) > 1:
        try:
            return _osrm_matrix(base_url, points)
        except Exception as error:  # down, slow, refused, malformed: plan on straight lines rather than fail
            logger.warning("routing server %s failed (%s); using straight-line distances", base_url, error)
    return straight_line_matrix(points)


def route_points(*, stops: list[StopInput], start: tuple[float, float] | None) -> list[tuple[float, float]]:
    """The points a ``matrix`` handed to ``plan_day`` must cover, in this order: the start (the first positioned
    stop when ``start`` is None), then every stop with coordinates in the order given."""
    positioned = [(s.lat, s.lon) for s in stops if s.lat is not None and s.lon is not None]
    if not positioned:
        return []
    return [tuple(start) if start is not None else positioned[0]] + positioned


def _window(stop: StopInput, day_start_s: int, day_end_s: int) -> tuple[int, int]:
    opens = day_start_s if stop.opens_s is None else max(day_start_s, int(stop.opens_s))
    closes = day_end_s if stop.closes_s is None else min(day_end_s, int(stop.closes_s))
    return opens, closes


def _walk(order: list[int], matrix: DistanceMatrix, stops: list[StopInput], *, day_start_s: int,
          return_to_start: bool, windows: list[tuple[int, int]] | None) -> tuple[int, int, dict[int, int]]:
    """Distance, duration and the earliest arrivals along an order of stop indices (matrix index = stop + 1).

    With ``windows`` a visit waits for its shop to open; the earliest schedule of an order is feasible whenever
    any schedule of it is, so these arrivals are the ones a feasible plan can keep.
    """
    distance, clock, here, arrivals = 0, day_start_s, 0, {}
    for i in order:
        distance += matrix.metres[here][i + 1]
        clock += matrix.seconds[here][i + 1]
        if windows is not None:
            clock = max(clock, windows[i][0])
        arrivals[i] = clock
        clock += max(0, int(stops[i].service_s))
        here = i + 1
    if return_to_start and order:
        distance += matrix.metres[here][0]
        clock += matrix.seconds[here][0]
    return distance, clock - day_start_s, arrivals


def _late(order: list[int], arrivals: dict[int, int], windows: list[tuple[int, int]], *, day_start_s: int,
          day_end_s: int, duration_s: int) -> int | None:
    """The first stop of an order that misses its window, or the last one when the day runs out; None if it fits."""
    for i in order:
        if not windows[i][0] <= arrivals[i] <= windows[i][1]:
            return i
    return order[-1] if order and day_start_s + duration_s > day_end_s else None


def _normalised_pins(stops: list[StopInput], *, start_is_first_stop: bool) -> dict[int, int]:
    """Distinct positions within the day's length; two pins on one position keep their typed order.

    Without a start point the first stop is where the day starts, so it is pinned first (unless the manager pinned
    another stop there).
    """
    size = len(stops)
    wanted = sorted((max(0, int(s.pinned_at)), i) for i, s in enumerate(stops) if s.pinned_at is not None)
    if start_is_first_stop and stops and stops[0].pinned_at is None and not any(p == 0 for p, _ in wanted):
        wanted.insert(0, (0, 0))
    pins, taken = {}, set()
    for position, index in wanted:
        position = min(position, size - 1)
        while position in taken and position < size - 1:
            position += 1
        while position in taken and position > 0:  # the tail is full: take the nearest free place before
            position -= 1
        if position in taken:
            continue
        pins[index] = position
        taken.add(position)
    return pins


def _solve(stops: list[StopInput], matrix: DistanceMatrix, pins: dict[int, int], windows: list[tuple[int, int]], *,
           day_start_s: int, day_end_s: int, time_limit_s: float,
           return_to_start: bool) -> tuple[list[int], bool]:
    """The OR-Tools model; returns the visiting order of stop indices and whether the solver proved it optimal."""
    from ortools.constraint_solver import pywrapcp, routing_enums_pb2
    from ortools.util import optional_boolean_pb2

    size = len(stops)
    nodes = size + 1 if return_to_start else size + 2  # depot, stops, and the open route's free end
    end_node = 0 if return_to_start else size + 1
    manager = pywrapcp.RoutingIndexManager(nodes, 1, [0], [end_node])
    routing = pywrapcp.RoutingModel(manager)

    def padded(values: list[list[int]], service: list[int] | None) -> list[list[int]]:
        """The matrix over all nodes: the open route's end costs nothing to reach; service is added when leaving."""
        free_end = not return_to_start
        return [[(0 if free_end and end_node in (a, b) else values[a][b]) + (service[a] if service else 0)
                 for b in range(nodes)] for a in range(nodes)]

    service = [0] + [max(0, int(s.service_s)) for s in stops] + ([] if return_to_start else [0])
    distance_cb = routing.RegisterTransitMatrix(padded(matrix.metres, None))
    routing.SetArcCostEvaluatorOfAllVehicles(distance_cb)
    time_cb = routing.RegisterTransitMatrix(padded(matrix.seconds, service))
    horizon = max(day_end_s, day_start_s) + 1
    routing.AddDimension(time_cb, max(0, day_end_s - day_start_s), horizon, False, "time")
    time = routing.GetDimensionOrDie("time")
    time.CumulVar(routing.Start(0)).SetRange(day_start_s, day_start_s)
    time.CumulVar(routing.End(0)).SetRange(day_start_s, max(day_start_s, day_end_s))
    longest = max((max(row) for row in matrix.metres), default=0)
    penalty = 1_000_000 + 10 * longest * (size + 1)  # dropping a stop always costs more than any detour to it
    for i, (opens, closes) in enumerate(windows):
        index = manager.NodeToIndex(i + 1)
        time.CumulVar(index).SetRange(opens, closes)
        routing.AddDisjunction([index], penalty * (4 if i in pins else 1))
    if pins:
        position_cb = routing.RegisterUnaryTransitVector([1] * nodes)
        routing.AddDimension(position_cb, 0, nodes + 1, True, "position")
        position = routing.GetDimensionOrDie("position")
        for i, at in pins.items():
            position.CumulVar(manager.NodeToIndex(i + 1)).SetValue(at + 1)  # the depot counts one
    parameters = pywrapcp.DefaultRoutingSearchParameters()
    parameters.first_solution_strategy = routing_enums_pb2.FirstSolutionStrategy.PATH_CHEAPEST_ARC
    parameters.local_search_metaheuristic = routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH
    # The nearest-neighbour start leaves a third of a 60-stop day with morning-only and evening-only shops
    # unvisited; these insertion LNS operators (off by default) put dropped stops back far sooner than guided
    # local search alone (on the sample day in 3 s: all 60 stops instead of 56, see bench_routing).
    operators = parameters.local_search_operators
    for name in INSERTION_OPERATORS:
        setattr(operators, name, optional_boolean_pb2.BOOL_TRUE)
    parameters.time_limit.FromMilliseconds(max(10, int(time_limit_s * 1000)))
    solution = routing.SolveWithParameters(parameters)
    if solution is None:  # cannot happen with every stop droppable; an empty plan rather than an exception
        logger.warning("the routing solver found no plan for %d stops (status %s)", size, routing.status())
        return [], False
    order, index = [], routing.Start(0)
    while True:
        index = solution.Value(routing.NextVar(index))
        if routing.IsEnd(index):
            break
        order.append(manager.IndexToNode(index) - 1)
    return order, routing.status() == routing_enums_pb2.RoutingSearchStatus.ROUTING_OPTIMAL


def plan_day(*, stops: list[StopInput], start: tuple[float, float] | None, day_start_s: int, day_end_s: int,
             time_limit_s: float | None = None, matrix: DistanceMatrix | None = None,
             return_to_start: bool = False) -> DayPlan:
    """The visiting order of one day's stops, shortest the solver finds in ``time_limit_s`` within the windows.

    ``matrix``, when given, covers ``route_points(stops=stops, start=start)``; one of another size is ignored
    (with a warning) and the matrix is computed. Stops without coordinates come back in ``no_position``; stops that
    cannot be fitted in their windows or the working day come back in ``not_fitted`` — never an exception.
    """
    no_position = [s.key for s in stops if s.lat is None or s.lon is None]
    routed = [s for s in stops if s.lat is not None and s.lon is not None]
    empty = DayPlan(order=[], arrivals={}, not_fitted=[], no_position=no_position, distance_m=0, duration_s=0,
                    typed_distance_m=0, typed_duration_s=0, is_optimal_proven=True)
    if not routed:
        return empty
    points = route_points(stops=stops, start=start)
    if matrix is None or len(matrix) != len(points):
        if matrix is not None:
            logger.warning("a matrix of %d points was given for %d; computing it", len(matrix), len(points))
        matrix = distance_matrix(points)
    typed_distance, typed_duration, _ = _walk(list(range(len(routed))), matrix, routed, day_start_s=day_start_s,
                                              return_to_start=return_to_start, windows=None)
    plan = DayPlan(order=[], arrivals={}, not_fitted=[], no_position=no_position, distance_m=0, duration_s=0,
                   typed_distance_m=typed_distance, typed_duration_s=typed_duration)
    windows = [_window(s, day_start_s, day_end_s) for s in routed]
    # A window that misses the working day (or closes before it opens) cannot be met by any order.
    hopeless = {i for i, (opens, closes) in enumerate(windows) if opens > closes or day_end_s < day_start_s}
    candidates = [i for i in range(len(routed)) if i not in hopeless]
    pins = _normalised_pins([routed[i] for i in candidates], start_is_first_stop=start is None)
    pins = {candidates[i]: at for i, at in pins.items()}
    limit = float(time_limit_s if time_limit_s is not None else _setting("FIELD_SOLVER_SECONDS",
                                                                         DEFAULT_SOLVER_SECONDS))
    if len(candidates) <= 1:
        order, proven = candidates, True
    else:
        if len(candidates) <= SMALL_DAY_STOPS:  # guided local search never stops early by itself
            limit = min(limit, SMALL_DAY_SECONDS_PER_STOP * len(candidates))
        sub_stops = [routed[i] for i in candidates]
        sub_matrix = _submatrix(matrix, candidates)
        sub_pins = {candidates.index(i): at for i, at in pins.items()}
        sub_order, proven = _solve(sub_stops, sub_matrix, sub_pins, [windows[i] for i in candidates],
                                   day_start_s=day_start_s, day_end_s=day_end_s, time_limit_s=limit,
                                   return_to_start=return_to_start)
        order = [candidates[i] for i in sub_order]
    while True:
        # The solver's orders keep every window (the earliest schedule of a feasible order is feasible); a lone
        # stop planned without the solver may not: it is then not fitted rather than planned late.
        distance, duration, arrivals = _walk(order, matrix, routed, day_start_s=day_start_s,
                                             return_to_start=return_to_start, windows=windows)
        late = _late(order, arrivals, windows, day_start_s=day_start_s, day_end_s=day_end_s, duration_s=duration)
        if late is None:
            break
        order = [i for i in order if i != late]
    placed = set(order)
    plan.order = [routed[i].key for i in order]
    plan.arrivals = {routed[i].key: arrivals[i] for i in order}
    plan.not_fitted = [routed[i].key for i in range(len(routed)) if i not in placed]
    plan.distance_m, plan.duration_s, plan.is_optimal_proven = distance, duration, proven and not plan.not_fitted
    return plan


def _submatrix(matrix: DistanceMatrix, candidates: list[int]) -> DistanceMatrix:
    """The matrix restricted to the depot and the candidate stops (matrix index = stop index + 1)."""
    keep = [0] + [i + 1 for i in candidates]
    return DistanceMatrix(metres=[[matrix.metres[a][b] for b in keep] for a in keep],
                          seconds=[[matrix.seconds[a][b] for b in keep] for a in keep], source=matrix.source)
