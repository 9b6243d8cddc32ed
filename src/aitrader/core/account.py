"""Accounts: balances per currency, settled by realized P&L and fees."""

from __future__ import annotations

from decimal import Decimal

from aitrader.core.enums import AccountType
from aitrader.core.errors import ConfigError
from aitrader.core.ids import AccountId
from aitrader.core.money import ZERO


class Account:
    """Cash per currency. ``cash = starting + realized P&L - fees`` holds for every currency."""

    __slots__ = ("account_type", "base_currency", "fees", "id", "leverage", "live", "realized",
                 "starting", "venue")

    def __init__(
        self,
        account_id: AccountId,
        venue: str,
        base_currency: str,
        starting_balances: dict[str, Decimal],
        account_type: AccountType = AccountType.CASH,
        leverage: Decimal = Decimal(1),
        live: bool = False,
    ) -> None:
        if leverage <= ZERO:
            raise ConfigError(f"account {account_id}: leverage must be > 0, was {leverage}")
        if account_type is AccountType.CASH and leverage != 1:
            raise ConfigError(
                f"account {account_id}: a CASH account has leverage 1, was {leverage}"
            )
        for cur, amount in starting_balances.items():
            if amount < ZERO:
                raise ConfigError(
                    f"account {account_id}: starting {cur} must be >= 0, was {amount}"
                )
        self.id = account_id
        self.venue = venue
        self.base_currency = base_currency
        self.account_type = account_type
        self.leverage = leverage
        self.live = live
        self.starting: dict[str, Decimal] = dict(starting_balances)
        self.realized: dict[str, Decimal] = {}
        self.fees: dict[str, Decimal] = {}

    def cash(self, currency: str) -> Decimal:
        """Settled balance in ``currency``."""
        return (
            self.starting.get(currency, ZERO)
            + self.realized.get(currency, ZERO)
            - self.fees.get(currency, ZERO)
        )

    def currencies(self) -> list[str]:
        """Every currency with any balance activity, sorted."""
        return sorted(set(self.starting) | set(self.realized) | set(self.fees))

    def balances(self) -> dict[str, Decimal]:
        """Cash per currency."""
        return {cur: self.cash(cur) for cur in self.currencies()}

    def apply_realized(self, currency: str, amount: Decimal) -> None:
        """Book realized P&L (negative for a loss)."""
        self.realized[currency] = self.realized.get(currency, ZERO) + amount

    def apply_fee(self, currency: str, amount: Decimal) -> None:
        """Book a fee paid (a negative amount is a rebate)."""
        self.fees[currency] = self.fees.get(currency, ZERO) + amount
