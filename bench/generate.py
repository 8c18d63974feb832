"""Synthetic, realistic datasets (Japanese text) for the benchmarks.

    python bench/generate.py --size large -o bench/out/large.json

Sizes: municipal (20 engagements), prefectural (300), large (1,000), xlarge (3,000) (`--count N`
for N); each engagement has
~20 know-how items, ~5 receiving staff and ~50 log entries.  Seeded: the same size gives the
same data.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from xtalent.models import (  # noqa: E402
    STAGE_ORDER,
    ContractForm,
    InterchangeDocument,
    ItemKind,
    Owner,
    Role,
    ScopeLevel,
    StructureRole,
    TargetStatus,
)

SIZES = {"municipal": 20, "prefectural": 300, "large": 1000, "xlarge": 3000}
TODAY = date(2026, 11, 23)

SURNAMES = "佐藤 鈴木 高橋 田中 伊藤 渡辺 山本 中村 小林 加藤 吉田 山田 佐々木 山口 松本 井上 木村 林 清水 斎藤".split()
GIVEN = "花子 太郎 健一 美咲 大輔 由美 翔太 真理 一郎 恵子 拓也 陽子 直樹 彩 悠人 智子".split()
CITIES = "みどり野 さくら台 あおば 北浜 南風 ひかり 若葉 朝霧 星川 白浜".split()
DEPTS = "情報政策課 市民課 税務課 子育て支援課 福祉課 総務課 企画政策課 建設課 環境課 観光課".split()
THEMES = [
    ("窓口のオンライン申請化", "書かない窓口", "申請件数のオンライン比率", "%", 12, 60),
    ("庁内文書の電子決裁", "紙の回覧をなくす", "電子決裁率", "%", 30, 90),
    ("データに基づく政策立案", "EBPMの定着", "データ活用事業数", "件", 1, 8),
    ("RPAによる定型業務の自動化", "残業時間の削減", "削減時間", "時間/年", 0, 1200),
    ("子育て手続のワンストップ化", "来庁不要の手続", "来庁回数", "回", 4, 1),
]
ITEMS = ["業務フロー図の作り方", "ベンダー調整の進め方", "庁内説明資料の型", "議会答弁の準備", "予算要求書の書き方",
         "RPAシナリオの保守", "データ分析の手順", "住民アンケートの設計", "外部有識者との人脈", "ノーコードツールの運用"]
TOPICS = ["システム更新の相談", "補助金申請の確認", "議会対応の相談", "業者選定の助言", "研修の企画", "個人情報の扱い"]


def engagement(rng: random.Random, n: int) -> dict:
    start = date(2024, 4, 1) + timedelta(days=rng.randrange(0, 800))
    end = start + timedelta(days=rng.choice([365, 730, 1095]) - 1)
    staff = [
        {
            "id": f"st-{k}",
            "name": f"{rng.choice(SURNAMES)} {rng.choice(GIVEN)}",
            "department": rng.choice(DEPTS),
            "position": rng.choice(["主事", "主任", "係長", "課長補佐"]),
            "role": StructureRole.LEAD.value if k == 0 else rng.choice([r.value for r in StructureRole][1:]),
            "rotation_expected": (end + timedelta(days=rng.randrange(-200, 400))).isoformat() if rng.random() < 0.4 else None,
        }
        for k in range(rng.randint(4, 6))
    ]
    targets = []
    for k, theme in enumerate(rng.sample(THEMES, 3)):
        title, goal, ind, unit, base, target = theme
        agreed = rng.random() < 0.8
        targets.append({
            "id": f"tg-{k}", "title": title, "scope_level": rng.choice([s.value for s in ScopeLevel]),
            "goal": goal, "indicator": {"name": ind, "unit": unit, "baseline": base, "target": target,
                                         "current": base + (target - base) * rng.random()},
            "agreed_on": (start + timedelta(days=rng.randrange(0, 60))).isoformat() if agreed else None,
            "agreed_by": "副市長" if agreed else "", "status": rng.choice([s.value for s in TargetStatus]),
            "owner": rng.choice([o.value for o in Owner]), "field_department": rng.choice(DEPTS),
            "staff_ids": rng.sample([s["id"] for s in staff], 2),
        })
    items = []
    for k in range(rng.randint(18, 22)):
        receivers = []
        for sid in rng.sample([s["id"] for s in staff], rng.randint(0, 3)):
            rank = rng.randrange(len(STAGE_ORDER))
            history, day = [], start
            for r in range(1, rank + 1):
                day = min(day + timedelta(days=rng.randrange(10, 90)), TODAY)
                history.append({"on": day.isoformat(), "stage": STAGE_ORDER[r].value})
            receivers.append({"staff_id": sid, "stage": STAGE_ORDER[rank].value, "history": history})
        items.append({
            "id": f"kh-{k}", "title": f"{rng.choice(ITEMS)}（{k + 1}）", "kind": rng.choice([i.value for i in ItemKind]),
            "description": "職員が自分で進められるように手順と判断の勘所をまとめる。",
            "target_id": rng.choice([t["id"] for t in targets] + [None]),
            "receivers": receivers,
            "due": (end - timedelta(days=rng.randrange(-20, 200))).isoformat() if rng.random() < 0.8 else None,
            "evidence": [{"on": (start + timedelta(days=30 * j)).isoformat(), "note": "手順書の改訂版を共有"}
                         for j in range(rng.randint(0, 3))],
        })
    log = [
        {
            "id": f"lg-{k}", "on": (start + timedelta(days=rng.randrange(0, max(1, (min(end, TODAY) - start).days + 1)))).isoformat(),
            "kind": rng.choice(["consultation", "consultation", "checkin"]), "from_department": rng.choice(DEPTS),
            "topic": rng.choice(TOPICS), "in_scope": rng.random() < 0.7, "target_id": None, "minutes": rng.choice([15, 30, 60, 90]),
        }
        for k in range(rng.randint(45, 55))
    ]
    return {
        "id": f"en-{n:05d}",
        "person": {"name": f"{rng.choice(SURNAMES)} {rng.choice(GIVEN)}", "name_kana": "", "affiliation": "株式会社サンプル",
                   "email": f"p{n}@example.jp"},
        "role": rng.choice([r.value for r in Role]), "contract_form": rng.choice([c.value for c in ContractForm]),
        "organisation": f"{rng.choice(CITIES)}市", "department": rng.choice(DEPTS), "sponsor": "副市長",
        "term_start": start.isoformat(), "term_end": end.isoformat(),
        "days_per_month": rng.choice([2, 4, 8]), "hours_per_month": None, "notes": "",
        "targets": targets, "items": items, "staff": staff, "log": log, "revision": 0,
    }


def dataset(size: str, seed: int = 20261123, count: int | None = None, validate: bool = True) -> dict:
    """validate=False: for a caller that imports the document at once (the import validates it
    and refuses it whole if the generator made a mistake; validating it here too cost a fifth
    of tests/test_people.py's 1,000-engagement migration)."""
    rng = random.Random(f"{seed}-{size}")
    doc = {"format": "xtalent", "schema_version": 1, "exported_at": "2026-11-23T09:00:00+09:00",
           "engagements": [engagement(rng, n) for n in range(SIZES[size] if count is None else count)]}
    if validate:
        InterchangeDocument.model_validate(doc)  # a generator bug must not pass as a benchmark
    return doc


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--size", choices=SIZES, default="municipal")
    ap.add_argument("--count", type=int, help="this many engagements instead of the size's (import limits are tested with 3,000)")
    ap.add_argument("--indent", type=int, help="indented as `xtalent export` writes it (2): a third larger")
    ap.add_argument("-o", "--output", type=Path)
    args = ap.parse_args()
    text = json.dumps(dataset(args.size, count=args.count), ensure_ascii=False, indent=args.indent)
    if args.output:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    main()
