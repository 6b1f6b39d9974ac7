"""The home page's world map: country outlines from world-atlas, drawn as SVG on the server.

``static/vendor/world-atlas/countries-110m.json`` (npm ``world-atlas``, Natural Earth
1:110m, public domain) is TopoJSON: shared arcs, quantised and delta-encoded. This
module decodes it once, projects it with the Natural Earth projection (the polynomial
of d3-geo's ``geoNaturalEarth1``) and writes one SVG path per country, so the map is
plain HTML: it needs no JavaScript, each country is a link to its dashboard, and the
page's Content-Security-Policy has nothing to allow.

world-atlas keys countries by ISO 3166-1 numeric code; pycountry turns those into the
alpha-3 codes the catalogue uses. Features without a code (Kosovo, Northern Cyprus,
Somaliland in this edition) are drawn but not linked; Antarctica is left out.
"""

from __future__ import annotations

import functools
import json
import math
from dataclasses import dataclass
from importlib.resources import files

import pycountry

WIDTH = 960
MARGIN = 4
ANTARCTICA = "010"
MIN_STEP = 0.6  # px: points closer than this to the previous one are dropped


@dataclass(frozen=True)
class Shape:
    """One country outline: its ISO3 (None if world-atlas gives no code), name, SVG path."""

    iso3: str | None
    name: str
    path: str


@dataclass(frozen=True)
class WorldMap:
    width: int
    height: int
    shapes: tuple[Shape, ...]


def natural_earth(lon: float, lat: float) -> tuple[float, float]:
    """The Natural Earth projection (Šavrič et al. 2011), in radians out, y up."""
    lam, phi = math.radians(lon), math.radians(lat)
    phi2 = phi * phi
    phi4 = phi2 * phi2
    x = lam * (0.8707 - 0.131979 * phi2 + phi4 * (-0.013791 + phi4 * (0.003971 * phi2 - 0.001529 * phi4)))
    y = phi * (1.007226 + phi2 * (0.015085 + phi4 * (-0.044475 + 0.028874 * phi2 - 0.005916 * phi4)))
    return x, y


def _decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    """Every arc as (longitude, latitude) points: undo the delta encoding and quantisation."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def _ring(indices: list[int], arcs: list[list[tuple[float, float]]]) -> list[tuple[float, float]]:
    """A ring from arc indices; ``~i`` is arc ``i`` reversed; shared end points once."""
    points: list[tuple[float, float]] = []
    for index in indices:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc if not points else arc[1:])
    return points


def split_at_antimeridian(ring: list[tuple[float, float]]) -> list[list[tuple[float, float]]]:
    """A ring that crosses 180° as two rings, one each side (Russia's east, Fiji).

    TopoJSON rings are spherical: a step from 179° to -179° is 2° east, not 358° west.
    The ring is unwrapped (longitudes made continuous) and, if it then passes 180°,
    clipped against that meridian on both sides (Sutherland-Hodgman against one line).
    """
    unwrapped = [ring[0]]
    for lon, lat in ring[1:]:
        previous = unwrapped[-1][0]
        while lon - previous > 180:
            lon -= 360
        while lon - previous < -180:
            lon += 360
        unwrapped.append((lon, lat))
    low, high = min(p[0] for p in unwrapped), max(p[0] for p in unwrapped)
    if low >= -180 and high <= 180:
        return [ring]
    edge = 180.0 if high > 180 else -180.0
    shift = 360.0 if edge > 0 else -360.0
    inside = _clip(unwrapped, edge, keep_below=edge > 0)
    outside = [(lon - shift, lat) for lon, lat in _clip(unwrapped, edge, keep_below=edge < 0)]
    return [r for r in (inside, outside) if len(r) >= 3]


def _clip(ring: list[tuple[float, float]], edge: float, keep_below: bool) -> list[tuple[float, float]]:
    """The part of a ring on one side of the meridian ``edge``."""
    def keep(p: tuple[float, float]) -> bool:
        return p[0] <= edge if keep_below else p[0] >= edge

    out: list[tuple[float, float]] = []
    for i, current in enumerate(ring):
        previous = ring[i - 1]
        if keep(current) != keep(previous):
            t = (edge - previous[0]) / (current[0] - previous[0])
            out.append((edge, previous[1] + t * (current[1] - previous[1])))
        if keep(current):
            out.append(current)
    return out


def _polygons(geometry: dict) -> list[list[list[int]]]:
    if geometry["type"] == "Polygon":
        return [geometry["arcs"]]
    if geometry["type"] == "MultiPolygon":
        return geometry["arcs"]
    return []


def iso3_of(numeric: str | None) -> str | None:
    if not numeric:
        return None
    country = pycountry.countries.get(numeric=str(numeric).zfill(3))
    return country.alpha_3 if country is not None else None


@functools.cache
def world_map() -> WorldMap:
    """The projected outlines, computed once per process."""
    source = files("hsfhs.query_service") / "static" / "vendor" / "world-atlas" / "countries-110m.json"
    topology = json.loads(source.read_text(encoding="utf-8"))
    arcs = _decode_arcs(topology)
    features = [g for g in topology["objects"]["countries"]["geometries"] if g.get("id") != ANTARCTICA]
    projected = [
        (g, [[[natural_earth(lon, lat) for lon, lat in part]
               for ring in poly for part in split_at_antimeridian(_ring(ring, arcs))]
             for poly in _polygons(g)])
        for g in features
    ]
    xs = [x for _, polys in projected for poly in polys for ring in poly for x, _ in ring]
    ys = [y for _, polys in projected for poly in polys for ring in poly for _, y in ring]
    scale = (WIDTH - 2 * MARGIN) / (max(xs) - min(xs))
    height = round((max(ys) - min(ys)) * scale) + 2 * MARGIN
    left, top = min(xs), max(ys)
    shapes = []
    for geometry, polys in projected:
        rings = [
            [((x - left) * scale + MARGIN, (top - y) * scale + MARGIN) for x, y in ring]
            for poly in polys
            for ring in poly
        ]
        name = (geometry.get("properties") or {}).get("name", "")
        shapes.append(Shape(iso3_of(geometry.get("id")), name, _path(rings)))
    return WorldMap(WIDTH, height, tuple(shapes))


def _path(rings: list[list[tuple[float, float]]]) -> str:
    """SVG path data, one decimal, points under ``MIN_STEP`` apart merged."""
    parts = []
    for ring in rings:
        kept: list[tuple[float, float]] = []
        for x, y in ring:
            if kept and abs(x - kept[-1][0]) < MIN_STEP and abs(y - kept[-1][1]) < MIN_STEP:
                continue
            kept.append((x, y))
        if len(kept) < 3:
            continue
        head, *rest = kept
        parts.append(f"M{head[0]:.1f} {head[1]:.1f}" + "".join(f"L{x:.1f} {y:.1f}" for x, y in rest) + "Z")
    return "".join(parts)
