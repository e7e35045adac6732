"""API keys (hashed, scoped to a tenant) and per-key rate limiting for the REST API."""
from app.interfaces.shared.auth.keys import ApiKey, KeyStore, KeyStoreError, open_key_store
from app.interfaces.shared.auth.ratelimit import RateLimiter, open_rate_limiter

__all__ = ["ApiKey", "KeyStore", "KeyStoreError", "RateLimiter", "open_key_store", "open_rate_limiter"]
