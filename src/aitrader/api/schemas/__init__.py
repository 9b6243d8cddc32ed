"""Request and response models (``XCreate`` in, ``XPublic`` out), separate from ORM rows.
Money is a Decimal, sent as a JSON string so no digit is lost."""
