"""Where the bundled sample company, the city list and the default output folder are.

The sample company and the city list ship inside the package
(``salesplan/data/``), so a plain ``pip install`` plans the sample too.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

__all__ = ["project_root", "package_data", "sample_folder", "output_folder", "synthetic_territory"]


def project_root() -> Path:
    """The folder holding the ``salesplan`` package (the repository in a source checkout).

    Returns
    -------
    pathlib.Path
    """
    return Path(__file__).resolve().parent.parent


def package_data() -> Path:
    """The package's data folder (the sample company, the city list).

    Returns
    -------
    pathlib.Path
    """
    return Path(str(files("salesplan") / "data"))


def sample_folder() -> Path:
    """The bundled sample company (``salesplan/data/sample``; ``data/sample`` in a checkout).

    Returns
    -------
    pathlib.Path
        A company folder for :func:`salesplan.load_inputs`.
    """
    return package_data() / "sample"


def output_folder() -> Path:
    """Default folder for exported workbooks: ``out/`` of the checkout, else of the working folder.

    The folder is not created here; writing a workbook creates it.

    Returns
    -------
    pathlib.Path
    """
    root = project_root()
    return (root if (root / "pyproject.toml").is_file() else Path.cwd()) / "out"


def synthetic_territory(n_accounts: int, n_reps: int, *, seed: int = 0, key_share: float = 0.05,
                        n_specialists: int | None = None):
    """A seeded territory instance on real Chinese city coordinates (tests and benchmarks).

    Accounts are drawn from the bundled city list (``salesplan/data/cities_cn.csv``, 793 cities) with
    probability growing with population (``population ** 0.85``) and scattered a few km around the city
    centre.  Reps are based in the most populous cities, one a city; beyond one in every city, the
    further reps are drawn among the cities by the same weight and based a few km around their centre,
    so any number of reps can be had.  A share of accounts are key accounts (potential >= 30,000) and
    enough reps are key-account specialists to carry them; every account starts with its nearest rep
    (that may take it) as current owner.  Up to 1,000,000 accounts and 10,000 reps take seconds and no
    (accounts x reps) matrix.

    Parameters
    ----------
    n_accounts, n_reps : int
        Instance size.
    seed : int
        Seed of every draw.
    key_share : float
        Share of key accounts.
    n_specialists : int, optional
        Key-account specialists (default: about the key accounts' share of
        workload, at least one when there are key accounts).

    Returns
    -------
    (accounts, reps) : tuple of pandas.DataFrame
        In the schema of ``accounts.csv`` and ``reps.csv``.
    """
    import numpy as np
    import pandas as pd

    from salesplan.territory.geometry import nearest

    rng = np.random.default_rng(seed)
    cities = pd.read_csv(package_data() / "cities_cn.csv")
    p = cities["population"].to_numpy(float) ** 0.85
    pick = rng.choice(len(cities), size=n_accounts, p=p / p.sum())
    lat = cities["lat"].to_numpy()[pick] + rng.normal(0, 0.04, n_accounts)
    lon = cities["lon"].to_numpy()[pick] + rng.normal(0, 0.05, n_accounts)
    n_key = int(round(key_share * n_accounts))
    potential = np.round(np.exp(rng.normal(np.log(12_000), 0.4, n_accounts)), -2).clip(500, 29_900)
    potential[rng.permutation(n_accounts)[:n_key]] = np.round(rng.uniform(30_000, 90_000, n_key), -2)
    segment = np.where(potential >= 24_000, "A", np.where(potential >= 12_000, "B", "C"))
    top = cities.sort_values("population", ascending=False).head(max(n_reps, 1))
    base = top.iloc[rng.permutation(len(top))[:n_reps]]
    base_lat, base_lon = base["lat"].to_numpy(), base["lon"].to_numpy()
    if n_reps > len(cities):  # one in every city, then further reps by population, around the centre
        more = n_reps - len(cities)
        city = rng.choice(len(cities), size=more, p=p / p.sum())
        base = pd.concat([base, cities.iloc[city]])
        base_lat = np.r_[base_lat, cities["lat"].to_numpy()[city] + rng.normal(0, 0.04, more)]
        base_lon = np.r_[base_lon, cities["lon"].to_numpy()[city] + rng.normal(0, 0.05, more)]
    if n_specialists is None:
        hours = np.select([segment == "A", segment == "B"], [4.0, 1.5], 0.34)
        n_specialists = int(np.ceil(hours[potential >= 30_000].sum() / hours.sum() * n_reps * 1.05)) if n_key else 0
    role = np.array(["rep"] * n_reps, dtype=object)
    role[:n_specialists] = "key_account"
    reps = pd.DataFrame({
        "rep_id": [f"R{j:04d}" for j in range(n_reps)],
        "name": [f"Rep {j}" for j in range(n_reps)],
        "role": role, "team": "Field", "region": base["region"].to_numpy(), "level": 3, "status": "active",
        "hire_date": pd.Timestamp("2024-01-01"), "end_date": pd.NaT,
        "base_city": base["city"].to_numpy(),
        "base_lat": base_lat + rng.normal(0, 0.01, n_reps),
        "base_lon": base_lon + rng.normal(0, 0.01, n_reps),
        "fte": 1.0,
    })
    key = potential >= 30_000
    owner = nearest(lat, lon, reps["base_lat"], reps["base_lon"])
    if n_specialists:
        specialist = role == "key_account"
        owner[key] = nearest(lat[key], lon[key], reps["base_lat"], reps["base_lon"], among=specialist)
    accounts = pd.DataFrame({
        "account_id": [f"A{i:06d}" for i in range(n_accounts)],
        "name": [f"Account {i}" for i in range(n_accounts)],
        "city": cities["city"].to_numpy()[pick],
        "lat": lat, "lon": lon, "segment": segment, "annual_potential": potential,
        "visits_per_month": np.nan, "current_rep_id": reps["rep_id"].to_numpy()[owner], "locked": False,
    })
    return accounts, reps
