"""Model errors: every refusal names the file, the rule and what was found."""

from __future__ import annotations

from aitrader.core.errors import AitraderError


class ModelError(AitraderError):
    """Base of the ML lifecycle errors."""


class ModelFormatError(ModelError):
    """The file is not what its name or metadata says (wrong format, truncated, corrupt)."""


class UntrustedModelError(ModelError):
    """Loading the file could run arbitrary code and its source is not trusted."""


class FeatureMismatchError(ModelError):
    """The model expects other features (names, order or count) than it is given."""


class RegistryError(ModelError):
    """Unknown model/version, illegal stage change, or a conflicting registration."""
