"""What loading engagement files costs, step by step, in-process: for counting instructions.

    python bench/load_cost.py DB --what parse --files 100        # codec.parse of 100 files
    valgrind --tool=callgrind --callgrind-out-file=/dev/null python bench/load_cost.py DB --what parse --files 100

`--what`: `json` (json.loads of each file: the floor), `stored` (models.StoredFile validated from
the bytes: pydantic-core parsing and validating, no more), `parse` (codec.parse: the file's
engagement, as Store.scan gives it), `rows` (parse and the dashboard's row, as a cold launch
computes it); `log` and `log-dicts` (each file's log table alone, taken out as JSON bytes first,
validated into `LogEntry` models, or read by pydantic-core into plain dicts: what the schema adds
to making the objects; their instructions per file are counted against `log-none`, which takes
the tables out and validates nothing, with as many files).  The imports, the validators' build and one file of each step run first, then the
collector is frozen as the launch leaves it, then the step runs for files 2…N+1.  Under callgrind,
the instructions of a step per file are (count with N files − count with 0) / N: instructions do
not depend on the machine's load, which moves CPU times by ±30 % on a shared machine.
`--collections` prints the collector's collections per generation during the step (gc.callbacks),
with the CPU time of the step.
"""

from __future__ import annotations

import argparse
import gc
import json
import time
from collections import Counter
from datetime import date
from pathlib import Path

TODAY = date(2026, 11, 23)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("db", type=Path)
    ap.add_argument("--what", choices=("json", "stored", "parse", "rows", "log", "log-dicts", "log-none"), default="parse")
    ap.add_argument("--files", type=int, default=100)
    ap.add_argument("--collections", action="store_true")
    args = ap.parse_args()

    from typing import Any

    from pydantic import TypeAdapter

    from xtalent import codec
    from xtalent.models import LogEntry, RowId, StoredFile
    from xtalent.views import dashboard

    files = sorted((args.db / "engagements").glob("*.json"))[: args.files + 1]
    raws = [(path, path.read_bytes()) for path in files]
    first = codec.parse(*raws[0])
    dashboard.build_rows([first], TODAY, "ja")
    StoredFile.model_validate_json(raws[0][1])
    del first
    tables = {"log": TypeAdapter(dict[RowId, LogEntry]), "log-dicts": TypeAdapter(dict[str, Any])}
    logs = []
    if args.what.startswith("log"):
        logs = [json.dumps(json.loads(raw).get("log", {}), ensure_ascii=False).encode("utf-8") for _, raw in raws]
    for adapter in tables.values():
        adapter.validate_json(logs[0] if logs else b"{}")
    gc.freeze()
    counts: Counter[int] = Counter()
    if args.collections:
        gc.callbacks.append(lambda phase, info: counts.update([info["generation"]]) if phase == "stop" else None)
    rest = raws[1:]
    cpu = time.process_time()
    if args.what == "json":
        for _, raw in rest:
            json.loads(raw)
    elif args.what == "stored":
        for _, raw in rest:
            StoredFile.model_validate_json(raw)
    elif args.what in tables:
        adapter = tables[args.what]
        for raw in logs[1:]:
            adapter.validate_json(raw)
    elif args.what == "log-none":
        pass
    elif args.what == "parse":
        for path, raw in rest:
            codec.parse(path, raw)
    else:
        dashboard.build_rows((codec.parse(path, raw) for path, raw in rest), TODAY, "ja")
    cpu = time.process_time() - cpu
    if args.collections:
        print(json.dumps({"files": len(rest), "cpu_s": round(cpu, 3), "collections": dict(sorted(counts.items()))}))


if __name__ == "__main__":
    main()
