"""The closed vocabularies of the domain: roles, contract forms, the transfer ladder.

Plain enums, apart from the pydantic models that use them: the dashboard and the labels need
them at start-up, and painting the first screen must not wait for the validators (see
bench/run.py).  `xtalent.models` re-exports every name.
"""

from __future__ import annotations

from enum import StrEnum


# A record's id: lower-case letters, digits, "-" and "_"; also a safe file name for an engagement.
ID_PATTERN = r"^[a-z0-9][a-z0-9_-]{0,63}$"


class Role(StrEnum):
    CDO = "cdo"
    CDO_DEPUTY = "cdo_deputy"
    POLICY_COUNSELOR = "policy_counselor"
    ADVISOR = "advisor"
    REGIONAL_INFO_ADVISOR = "regional_info_advisor"
    REGIONAL_ENTREPRENEUR = "regional_entrepreneur"
    OTHER = "other"


class ContractForm(StrEnum):
    SPECIAL_PART_TIME = "special_part_time"  # 特別職非常勤職員
    FIXED_TERM = "fixed_term"  # 任期付職員
    FISCAL_YEAR_APPOINTEE = "fiscal_year_appointee"  # 会計年度任用職員
    OUTSOURCING = "outsourcing"  # 業務委託
    SIDE_JOB = "side_job"  # 副業・兼業
    SECONDMENT = "secondment"  # 出向・派遣
    MINISTRY_DISPATCH = "ministry_dispatch"  # 総務省の派遣制度
    OTHER = "other"


class ScopeLevel(StrEnum):
    SELF = "self"
    DEPARTMENT = "department"
    ORGANISATION = "organisation"
    RESIDENTS = "residents"


class TargetStatus(StrEnum):
    PROPOSED = "proposed"
    AGREED = "agreed"
    IN_PROGRESS = "in_progress"
    ACHIEVED = "achieved"
    DROPPED = "dropped"


class Owner(StrEnum):
    EXTERNAL = "external"
    STAFF = "staff"
    JOINT = "joint"


class ItemKind(StrEnum):
    SKILL = "skill"
    DOCUMENT = "document"
    PROCESS = "process"
    NETWORK = "network"
    TOOL = "tool"


class Stage(StrEnum):
    """The ladder every know-how item climbs, in order."""

    NOT_STARTED = "not_started"
    DOCUMENTED = "documented"
    SHADOWING = "shadowing"
    TOGETHER = "together"
    SUPPORTED = "supported"
    INDEPENDENT = "independent"
    VERIFIED = "verified"

    @property
    def rank(self) -> int:
        return STAGE_RANK[self]

    def step(self, delta: int) -> "Stage":
        index = max(0, min(len(STAGE_ORDER) - 1, self.rank + delta))
        return STAGE_ORDER[index]

    @property
    def transferred(self) -> bool:
        """At 'independent' or beyond: the staff member can carry on alone (a 分身)."""
        return self.rank >= INDEPENDENT_RANK


STAGE_ORDER: tuple[Stage, ...] = tuple(Stage)
STAGE_RANK = {stage: n for n, stage in enumerate(STAGE_ORDER)}
INDEPENDENT_RANK = STAGE_RANK[Stage.INDEPENDENT]  # from here on an item counts as handed over


class StructureRole(StrEnum):
    LEAD = "lead"
    MEMBER = "member"
    DIGITAL_LEADER = "digital_leader"  # デジタル推進リーダー
    CDO_TEAM = "cdo_team"


class StaffStatus(StrEnum):
    """Whether an employee is still with the organisation: one who left keeps every stage they
    reached (the record), and no longer counts as capacity (分身, receivers)."""

    ACTIVE = "active"  # 在籍
    TRANSFERRED = "transferred"  # 異動済み
    RETIRED = "retired"  # 退職

    @property
    def gone(self) -> bool:
        return self is not StaffStatus.ACTIVE


class LogKind(StrEnum):
    CONSULTATION = "consultation"
    CHECKIN = "checkin"


class Lifecycle(StrEnum):
    """Where an engagement is in its life: derived from the term and the day, confirmed by closing."""

    PLANNED = "planned"  # 予定: the term has not started
    IN_TERM = "in_term"  # 在任
    ENDED = "ended"  # 任期終了・引継ぎ中: the term is over, the handover not yet closed
    COMPLETED = "completed"  # 完了: closed, the handover signed off
    CLOSED_OPEN = "closed_open"  # 終了（未了あり）: closed with items still open, each with a support plan

    @property
    def closed(self) -> bool:
        return self in (Lifecycle.COMPLETED, Lifecycle.CLOSED_OPEN)


class ClosureOutcome(StrEnum):
    COMPLETED = "completed"
    OPEN_ITEMS = "open_items"


class TermChangeKind(StrEnum):
    EXTENSION = "extension"  # 延長: the same term ends later
    RENEWAL = "renewal"  # 更新・再任用: a new term follows the previous one


class AfterTerm(StrEnum):
    """What the municipality decided for after the term (before the autumn budget request)."""

    EXTEND = "extend"  # 延長・更新
    SUCCESSOR = "successor"  # 後任を確保
    SUPPORT = "support"  # 任期後の支援で対応
    END = "end"  # 延長せず終了
