"""Strategy instances and the types they are made from."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

_IN = ConfigDict(extra="forbid")


class StrategyType(BaseModel):
    """A registered strategy and the JSON Schema of its parameters (for forms)."""

    name: str
    description: str
    params_schema: dict[str, Any]


class StrategyCreate(BaseModel):
    """A new instance; ``params`` are validated by the type's own Params model."""

    model_config = _IN
    id: str = Field(..., min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_\-\.]+$")
    type: str = Field(..., min_length=1, max_length=64)
    account_id: str = Field(..., min_length=1, max_length=64)
    instruments: list[str] = Field(..., min_length=1, max_length=50,
                                   examples=[["BTC/USDT@SIM"]])
    params: dict[str, Any] = Field(default_factory=dict)
    start: bool = Field(False, description="start it right away")


class StrategyUpdate(BaseModel):
    """New parameters (a running instance restarts with them)."""

    model_config = _IN
    params: dict[str, Any]


class StrategyPublic(BaseModel):
    """An instance."""

    id: str
    type: str
    account_id: str
    instruments: list[str]
    params: dict[str, Any]
    status: Literal["running", "stopped"]
