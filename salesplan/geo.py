"""Great-circle distances between accounts and rep bases.

Distances are in kilometres on a sphere of radius 6,371.0088 km (the mean
Earth radius); the haversine form stays accurate for short trips.
"""

from __future__ import annotations

import numpy as np

__all__ = ["EARTH_RADIUS_KM", "haversine", "distance_matrix"]

#: Mean Earth radius (IUGG), km.
EARTH_RADIUS_KM = 6371.0088


def haversine(lat1, lon1, lat2, lon2) -> np.ndarray:
    """Great-circle distance in km; arguments broadcast like numpy arrays.

    Parameters
    ----------
    lat1, lon1, lat2, lon2 : array_like
        Coordinates in decimal degrees.

    Returns
    -------
    numpy.ndarray
        Distances in km, shape of the broadcast arguments.

    Examples
    --------
    >>> round(float(haversine(31.2222, 121.4581, 39.9075, 116.3972)))  # Shanghai - Beijing
    1068
    """
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dp = p2 - p1
    dl = np.radians(lon2) - np.radians(lon1)
    h = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))


def distance_matrix(lat_a, lon_a, lat_b, lon_b, *, dtype=np.float64, chunk: int = 16384) -> np.ndarray:
    """All distances from points ``a`` (rows) to points ``b`` (columns), in km.

    Computed in row chunks so that temporaries stay small for 100,000 x 300
    matrices.

    Parameters
    ----------
    lat_a, lon_a : array_like, shape (n,)
    lat_b, lon_b : array_like, shape (m,)
    dtype : numpy dtype
        Of the result (``float32`` halves the memory of big matrices).
    chunk : int
        Rows per chunk.

    Returns
    -------
    numpy.ndarray, shape (n, m)
    """
    lat_a = np.radians(np.asarray(lat_a, dtype=float))
    lon_a = np.radians(np.asarray(lon_a, dtype=float))
    lat_b = np.radians(np.asarray(lat_b, dtype=float))[None, :]
    lon_b = np.radians(np.asarray(lon_b, dtype=float))[None, :]
    cos_b = np.cos(lat_b)
    out = np.empty((len(lat_a), lat_b.shape[1]), dtype=dtype)
    for s in range(0, len(lat_a), chunk):
        la = lat_a[s:s + chunk, None]
        lo = lon_a[s:s + chunk, None]
        h = np.sin((lat_b - la) / 2) ** 2 + np.cos(la) * cos_b * np.sin((lon_b - lo) / 2) ** 2
        out[s:s + chunk] = 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))
    return out
