"""Engagements the export tests share, built with the model directly (no store, no clock)."""

from __future__ import annotations

from datetime import date

from xtalent.models import (
    ChangeTarget,
    ContractForm,
    Engagement,
    Evidence,
    Indicator,
    ItemKind,
    KnowHowItem,
    Person,
    ReceivingStaff,
    Reception,
    Role,
    Stage,
    StageEvent,
    StructureRole,
    TargetStatus,
)

TODAY = date(2027, 1, 15)
HOSTILE = '=HYPERLINK("http://x","y")'


def make_engagement(engagement_id: str = "en-kita", person: str = "北村 彩") -> Engagement:
    """One engagement with every stage on the ladder, so each box state is exercised."""
    staff = [
        ReceivingStaff(id="st-sato", name="佐藤 花子", department="情報政策課", position="主査", role=StructureRole.LEAD),
        ReceivingStaff(
            id="st-suzu",
            name="鈴木 一郎",
            department="福祉課",
            position="主任",
            role=StructureRole.DIGITAL_LEADER,
            rotation_expected=date(2027, 4, 1),
        ),
        ReceivingStaff(id="st-evil", name=HOSTILE, department="-1+1", role=StructureRole.MEMBER),
    ]
    targets = [
        ChangeTarget(
            id="tg-apply",
            title="子育て申請のオンライン化",
            goal="窓口に来なくても申請が完結する状態",
            indicator=Indicator(name="オンライン申請率", unit="%", baseline=12, target=60, current=35.5),
            agreed_on=date(2026, 4, 20),
            agreed_by="副市長",
            status=TargetStatus.IN_PROGRESS,
            staff_ids=["st-sato"],
        ),
        ChangeTarget(id="tg-data", title="データに基づくふりかえり", status=TargetStatus.AGREED),
    ]
    stages = list(Stage)
    items = []
    for n, stage in enumerate(stages):
        receivers = [] if stage is Stage.NOT_STARTED else [
            Reception(staff_id="st-sato", stage=stage, history=[StageEvent(on=date(2026, 10, 1), stage=stage)]),
            Reception(staff_id="st-suzu", stage=Stage.SHADOWING if stage.rank > 2 else Stage.NOT_STARTED),
        ]
        items.append(
            KnowHowItem(
                id=f"kh-{n}",
                title=f"ノウハウ{n}: {stage.value} の手順書",
                kind=list(ItemKind)[n % len(ItemKind)],
                target_id="tg-apply" if n % 2 == 0 else "tg-data",
                receivers=receivers,
                due=date(2027, 1, 1) if n == 1 else date(2027, 2, n + 1),
                evidence=[Evidence(on=date(2026, 11, n + 1), note="古い記録"), Evidence(on=date(2026, 12, n + 1), note=f"研修記録 第{n}回")]
                if n
                else [],
            )
        )
    items.append(
        KnowHowItem(
            id="kh-evil",
            title=HOSTILE,
            description="<script>alert(1)</script>",
            receivers=[Reception(staff_id="st-evil", stage=Stage.TOGETHER)],
            evidence=[Evidence(on=date(2026, 12, 24), note="@SUM(1+1)\r\n次の行 | パイプ & <b>太字</b>")],
        )
    )
    return Engagement(
        id=engagement_id,
        person=Person(name=person, name_kana="きたむら あや", affiliation="株式会社サンプル"),
        role=Role.CDO_DEPUTY,
        contract_form=ContractForm.SIDE_JOB,
        organisation="北杜市",
        department="DX推進課",
        sponsor="総務部長",
        term_start=date(2026, 4, 1),
        term_end=date(2027, 3, 31),
        targets=targets,
        items=items,
        staff=staff,
        revision=3,
    )


def ticked_ids(engagement: Engagement) -> set[str]:
    return {i.id for i in engagement.items if i.stage.rank >= Stage.INDEPENDENT.rank}
