"""Rebuild salesplan/data/provinces_cn.json, the province outlines drawn under territory maps.

Source (public domain): Natural Earth 1:50m Cultural Vectors, "Admin 1 -- States, Provinces"
(``ne_50m_admin_1_states_provinces.geojson``: the 31 provinces of mainland China) and 1:110m
"Admin 0 -- Countries" (``ne_110m_admin_0_countries.geojson``: Taiwan).  Each ring is simplified
(Douglas-Peucker, 0.04 degrees) and rounded to 0.01 degrees, which keeps the file small and the
outlines within about 4 km of the source on maps a thousand kilometres wide.

Usage: python data/make_provinces.py ADMIN1.geojson ADMIN0.geojson
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

OUT = Path(__file__).resolve().parent.parent / "salesplan" / "data" / "provinces_cn.json"
TOLERANCE = 0.04  # degrees
MIN_SPAN = 0.15   # degrees: smaller islands are left out


def simplify(ring: np.ndarray, tol: float) -> np.ndarray:
    """Douglas-Peucker simplification of a closed ring (first point kept)."""
    keep = np.zeros(len(ring), bool)
    keep[[0, -1]] = True
    stack = [(0, len(ring) - 1)]
    while stack:
        a, b = stack.pop()
        if b <= a + 1:
            continue
        seg = ring[b] - ring[a]
        pts = ring[a + 1:b] - ring[a]
        norm = np.hypot(*seg)
        d = np.abs(seg[0] * pts[:, 1] - seg[1] * pts[:, 0]) / norm if norm > 0 else np.hypot(pts[:, 0], pts[:, 1])
        k = int(np.argmax(d))
        if d[k] > tol:
            keep[a + 1 + k] = True
            stack += [(a, a + 1 + k), (a + 1 + k, b)]
    return ring[keep]


def rings(geometry: dict) -> list[np.ndarray]:
    polys = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    out = []
    for poly in polys:
        ring = np.asarray(poly[0], dtype=float)  # outer ring only
        if np.ptp(ring[:, 0]) < MIN_SPAN and np.ptp(ring[:, 1]) < MIN_SPAN:
            continue
        s = simplify(ring, TOLERANCE)
        if len(s) >= 4:
            out.append(np.round(s, 2))
    return out


def main(admin1: str, admin0: str) -> None:
    features = []
    for f in json.loads(Path(admin1).read_text(encoding="utf-8"))["features"]:
        p = f["properties"]
        if p.get("adm0_a3") == "CHN":
            features.append((p["name"], p.get("name_zh") or p["name"], rings(f["geometry"])))
    for f in json.loads(Path(admin0).read_text(encoding="utf-8"))["features"]:
        if f["properties"].get("ADM0_A3") == "TWN":
            features.append(("Taiwan", "台湾", rings(f["geometry"])))
    data = {"source": "Natural Earth (public domain): 1:50m admin-1 provinces of China, 1:110m admin-0 "
                      f"Taiwan; simplified to {TOLERANCE} degrees by data/make_provinces.py",
            "provinces": [{"name": n, "name_zh": z, "rings": [r.tolist() for r in rs]}
                          for n, z, rs in sorted(features)]}
    OUT.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"wrote {OUT} ({OUT.stat().st_size / 1024:.0f} KB, {len(features)} provinces, "
          f"{sum(len(r) for _, _, rs in features for r in rs)} points)")


if __name__ == "__main__":
    main(*sys.argv[1:3])
