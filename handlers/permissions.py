"""Who may act on a case: roles are held in a scope, and a case has an area and a department.

Pure: the lifecycle table says which role may fire an event; this module says which of those
roles a person holds *for this case* (a liaison of 住建局 is no liaison for a case led by 城管),
and picks the one that applies.
"""

from __future__ import annotations

from dataclasses import dataclass

from models.lifecycle import TRANSITIONS, CaseError, CaseEvent, CaseStatus, Role, transition
from models.repositories.organisation import PersonView, RoleScope


@dataclass(frozen=True, slots=True)
class CaseScope:
    """What a case belongs to, for permission purposes."""

    township_id: int | None
    village_id: int | None
    department_id: int | None
    reporter_id: str | None


def _covers(scope: RoleScope, case: CaseScope, person_id: str) -> bool:
    match scope.role:
        case Role.TOWNSHIP_STAFF:
            return scope.township_id is not None and scope.township_id == case.township_id
        case Role.GRID_WORKER:
            if person_id == case.reporter_id:
                return True
            if scope.village_id is not None:
                return scope.village_id == case.village_id
            return scope.township_id is not None and scope.township_id == case.township_id
        case Role.LIAISON | Role.DEPARTMENT_HEAD:
            return scope.department_id is not None and scope.department_id == case.department_id
        case Role.DISPATCHER:
            return True
        case _:
            return False


def roles_on_case(person: PersonView, case: CaseScope) -> tuple[Role, ...]:
    """The roles `person` holds for this case, without repeats, in a stable order."""
    held = {scope.role for scope in person.roles if _covers(scope, case, person.id)}
    return tuple(role for role in Role if role in held)


def acting_role(status: CaseStatus, event: CaseEvent, held: tuple[Role, ...]) -> Role | None:
    """The first held role allowed to fire `event` in `status`, or None."""
    for role in held:
        try:
            transition(status, event, role)
        except CaseError:
            continue
        return role
    return None


def allowed_roles(status: CaseStatus, event: CaseEvent) -> frozenset[Role]:
    """Roles the table allows for the event (empty when the state does not allow it)."""
    for row in TRANSITIONS:
        if row.source == status and row.event == event:
            return row.roles
    return frozenset()


def holds_anywhere(person: PersonView, role: Role) -> bool:
    return any(scope.role is role for scope in person.roles)


def township_ids(person: PersonView, role: Role) -> list[int]:
    return [s.township_id for s in person.roles if s.role is role and s.township_id is not None]


def department_ids(person: PersonView, role: Role) -> list[int]:
    return [
        s.department_id for s in person.roles if s.role is role and s.department_id is not None
    ]
