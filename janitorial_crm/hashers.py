"""The password hasher: Argon2id at OWASP's minimum cost (settings.PASSWORD_HASHERS says why)."""

from django.contrib.auth.hashers import Argon2PasswordHasher


class Argon2idPasswordHasher(Argon2PasswordHasher):
    """Argon2id with m = 19 MiB, t = 2, p = 1 (OWASP's password storage cheat sheet).

    The algorithm name stays Django's "argon2", so every Argon2 hash already stored is verified
    by this class; one made with other parameters (Django's default: 100 MiB, 8 lanes) is
    re-hashed with these at its owner's next login (`must_update`).
    """

    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1
