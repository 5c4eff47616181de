"""Roles that API keys carry, and the principal a request acts as."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, model_validator

from kb.errors import AuthenticationError, PermissionDeniedError


class Role(StrEnum):
    """public: search; agent: consultations, Q&A; staff: the whole workflow; department: its questions."""

    PUBLIC = "public"
    AGENT = "agent"
    STAFF = "staff"
    DEPARTMENT = "department"


#: Roles a key can be issued for (public needs no key).
KEY_ROLES: tuple[Role, ...] = (Role.AGENT, Role.STAFF, Role.DEPARTMENT)


class Principal(BaseModel):
    """Who is acting: a role, the department for department keys, and a name for the history."""

    model_config = ConfigDict(frozen=True)

    role: Role
    department: str | None = None
    key_id: int | None = None
    name: str = "anonymous"

    @model_validator(mode="after")
    def _department_matches_role(self) -> Principal:
        if self.role is Role.DEPARTMENT and not self.department:
            raise ValueError("a department principal needs its department name")
        if self.role is not Role.DEPARTMENT and self.department:
            raise ValueError(f"role {self.role} does not carry a department")
        return self

    @property
    def actor(self) -> str:
        """The label written into a question's history: role, department, key id."""
        parts = [self.role.value]
        if self.department:
            parts.append(self.department)
        if self.key_id is not None:
            parts.append(f"key#{self.key_id}")
        if self.name and self.name != "anonymous":
            parts.append(self.name)
        return ":".join(parts)


PUBLIC = Principal(role=Role.PUBLIC)


def require_role(principal: Principal, *roles: Role) -> None:
    """No key → AuthenticationError (401); a key of another role → PermissionDeniedError (403)."""
    if principal.role is Role.PUBLIC and Role.PUBLIC not in roles:
        raise AuthenticationError(
            "this endpoint needs an API key in the X-API-Key header",
            message_zh="该接口需要 API 密钥（请求头 X-API-Key）",
        )
    if principal.role not in roles:
        allowed = ", ".join(r.value for r in roles)
        raise PermissionDeniedError(
            f"role {principal.role.value} may not do this; needs one of: {allowed}",
            message_zh=f"当前角色（{principal.role.value}）无权执行该操作，需要：{allowed}",
        )


def require_department(principal: Principal, department: str | None) -> None:
    """A department principal may act only on questions assigned to its own department; staff on all."""
    require_role(principal, Role.STAFF, Role.DEPARTMENT)
    if principal.role is Role.STAFF:
        return
    if department is None or principal.department != department:
        raise PermissionDeniedError(
            f"this question belongs to department {department!r}, not {principal.department!r}",
            message_zh="该问题不属于本部门，无权查看或答复",
        )
