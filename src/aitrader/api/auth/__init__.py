"""Authentication and authorisation: argon2 passwords, JWT access/refresh tokens with sessions,
hashed scoped API keys, roles (viewer < trader < admin)."""
