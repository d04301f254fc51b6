"""Short codes people read aloud and type: keyed (not guessable in sequence), in Crockford's base32.

Crockford's alphabet leaves out I, L, O and U, so a code never holds a letter that looks like a digit;
reading one back, I and L count as 1 and O as 0, case and hyphens do not matter.
"""

import hashlib
import hmac

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_READ_AS = str.maketrans({"I": "1", "L": "1", "O": "0"})


def keyed_code(message: str, *, key: str, length: int = 10, group: int = 4) -> str:
    """The first ``length`` base32 characters of HMAC-SHA256(key, message), in groups: ``7K2M-9QXD-4F``.

    Without the key, the code of job 41 says nothing about the code of job 42."""
    digest = int.from_bytes(hmac.new(key.encode(), message.encode(), hashlib.sha256).digest(), "big")
    characters = [ALPHABET[(digest >> (256 - 5 * (i + 1))) & 31] for i in range(length)]
    return "-".join("".join(characters[i : i + group]) for i in range(0, length, group))


def normalize_code(text: str, *, length: int = 10, group: int = 4) -> str | None:
    """What someone typed, as ``keyed_code`` writes it; None when it cannot be such a code."""
    characters = "".join(text.split()).replace("-", "").upper().translate(_READ_AS)
    if len(characters) != length or any(c not in ALPHABET for c in characters):
        return None
    return "-".join(characters[i : i + group] for i in range(0, length, group))
