"""Broker credentials (admin only): stored encrypted; no response ever contains a secret."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Response

from aitrader.api.deps import Admin, Ctx
from aitrader.api.errors import ResourceNotFound
from aitrader.api.schemas.credentials import CredentialCreate, CredentialPublic

router = APIRouter(prefix="/api/broker-credentials", tags=["broker-credentials"])


@router.post("", response_model=CredentialPublic, status_code=201)
def create_credential(body: CredentialCreate, me: Admin, ctx: Ctx) -> CredentialPublic:
    """Encrypt and store a broker's keys."""
    secrets = {"api_key": body.api_key.get_secret_value(),
               "secret": body.secret.get_secret_value()}
    if body.passphrase is not None:
        secrets["passphrase"] = body.passphrase.get_secret_value()
    row = ctx.credentials.create(body.name, body.broker, ctx.vault.seal(secrets), me.user_id)
    return CredentialPublic.model_validate(row, from_attributes=True)


@router.get("", response_model=list[CredentialPublic])
def list_credentials(_: Admin, ctx: Ctx) -> list[CredentialPublic]:
    """Names and brokers only."""
    return [CredentialPublic.model_validate(r, from_attributes=True)
            for r in ctx.credentials.all()]


@router.delete("/{credential_id}", status_code=204)
def delete_credential(credential_id: Annotated[int, Path(ge=1, le=2**31 - 1)], _: Admin,
                      ctx: Ctx) -> Response:
    """Forget a broker's keys."""
    if not ctx.credentials.delete(credential_id):
        raise ResourceNotFound(f"unknown credential {credential_id}")
    return Response(status_code=204)
