"""staff: the employees of the organisation on the command line — each one's load and rotation
risk, or (--proposals) the records that look like one person, for the user to confirm in the TUI."""

from __future__ import annotations

import argparse
import json

from ..i18n import t
from ..textwidth import render_table
from ..usertext import json_text
from .context import Context


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("staff", help=t("cli.staff_help"), description=t("cli.staff_help"))
    p.add_argument("--organisation", "--org", dest="organisation", metavar="NAME", help=t("cli.opt_org"))
    p.add_argument("--proposals", action="store_true", help=t("cli.staff_proposals"))
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(handler=cmd_staff)


def cmd_staff(args: argparse.Namespace, ctx: Context) -> int:
    from .. import organisations
    from ..people import proposals
    from ..views.staff import filtered, staff_rows

    registry = ctx.store.people()
    if args.proposals:
        found = [p for p in proposals(registry) if organisations.matches(p.organisation, args.organisation)]
        if args.format == "json":
            data = [{"employee_ids": list(p.employee_ids), "name": p.name, "organisation": p.organisation,
                     "department": p.department} for p in found]
            print(json_text(json.dumps(data, ensure_ascii=False, indent=2)))
            return 0
        if not found:
            print(t("staff.proposals.none"))
            return 0
        headers = [t(f"staff.proposals.{c}") for c in ("name", "organisation", "department", "records")]
        print(render_table(headers, [[p.name, p.organisation, p.department, " ".join(p.employee_ids)] for p in found]))
        print(t("cli.staff_proposals_hint"))
        return 0
    rows = filtered(staff_rows(registry, ctx.store.scan(), ctx.lang), organisation=args.organisation)
    if args.format == "json":
        data = [{"id": r.id, "name": r.employee.name, "organisation": r.employee.organisation,
                 "department": r.employee.department, "position": r.employee.position,
                 "status": r.employee.status.value,
                 "left_on": r.employee.left_on.isoformat() if r.employee.left_on else None,
                 "rotation_expected": r.employee.rotation_expected.isoformat() if r.employee.rotation_expected else None,
                 "engagements": r.engagements, "load": r.load, "independent": r.independent,
                 "at_risk": [{"engagement": x.engagement_id, "item": x.item_id} for x in r.at_risk]} for r in rows]
        print(json_text(json.dumps(data, ensure_ascii=False, indent=2)))
        return 0
    if not rows:
        print(t("staff.none"))
        return 0
    headers = [t(f"staff.col.{c}") for c in ("name", "organisation", "department", "status", "load", "independent", "risk", "rotation")]
    body = [[r.employee.name, r.employee.organisation, r.employee.department,
             r.status + (f" {r.employee.left_on.isoformat()}" if r.employee.left_on else ""),
             str(r.load), str(r.independent), str(len(r.at_risk)) if r.at_risk else "—",
             r.employee.rotation_expected.isoformat() if r.employee.rotation_expected else "—"] for r in rows]
    print(render_table(headers, body))
    return 0
