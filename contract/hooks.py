"""Schemathesis hooks for the contract check (loaded through contract/schemathesis.toml).

A rule no JSON Schema can state is taught to the generator here, never relaxed in the check:

- a USCC's 18th character is a check character (GB 32100-2015), a weighted sum modulo 31 of
  the other 17; the schema states the shape (`pattern`), this hook completes generated codes
  with the right check character, so "valid" data is valid. Only codes of the right shape are
  touched: negative data (a wrong shape) stays negative.
"""

import re

import schemathesis

CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
SHAPE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$")


def with_check(uscc: str) -> str:
    total = sum(CHARS.index(c) * w for c, w in zip(uscc[:17], WEIGHTS))
    return uscc[:17] + CHARS[(31 - total % 31) % 31]


def fix(value):
    if isinstance(value, dict):
        return {
            k: with_check(v) if k == "uscc" and isinstance(v, str) and SHAPE.match(v) else fix(v)
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [fix(v) for v in value]
    return value


@schemathesis.hook
def map_body(context, body):
    return fix(body)
