"""Users (admin only)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from aitrader.api.deps import Admin, Ctx
from aitrader.api.errors import ResourceNotFound
from aitrader.api.schemas.auth import UserCreate, UserPublic, UserUpdate

router = APIRouter(prefix="/api/users", tags=["users"])


@router.get("", response_model=list[UserPublic])
def list_users(_: Admin, ctx: Ctx) -> list[UserPublic]:
    """Every user."""
    return [UserPublic.model_validate(r, from_attributes=True) for r in ctx.auth.users.all()]


@router.post("", response_model=UserPublic, status_code=201)
def create_user(body: UserCreate, _: Admin, ctx: Ctx) -> UserPublic:
    """A new user with a role."""
    row = ctx.auth.create_user(body.username, body.password.get_secret_value(), body.role)
    return UserPublic.model_validate(row, from_attributes=True)


@router.patch("/{user_id}", response_model=UserPublic)
def update_user(user_id: Annotated[int, Path(ge=1, le=2**31 - 1)], body: UserUpdate, _: Admin,
                ctx: Ctx) -> UserPublic:
    """Change role, enable/disable, or set a new password (ends the user's sessions)."""
    row = ctx.auth.update_user(user_id, body.role, body.active,
                               None if body.password is None else
                               body.password.get_secret_value())
    if row is None:
        raise ResourceNotFound(f"unknown user {user_id}")
    return UserPublic.model_validate(row, from_attributes=True)
