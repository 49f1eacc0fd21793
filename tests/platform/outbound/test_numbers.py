"""Chinese mobile, landline and 400 numbers to E.164; everything else refused with the reason."""

from __future__ import annotations

import pytest

from hotline.platform.outbound.numbers import to_e164


@pytest.mark.parametrize(("raw", "e164"), [
    ("13812345678", "+8613812345678"),
    ("138 1234 5678", "+8613812345678"),
    ("+86 138-1234-5678", "+8613812345678"),
    ("008613812345678", "+8613812345678"),
    ("010-64701122", "+861064701122"),
    ("(0755) 8888 6666", "+8675588886666"),
    ("0571-8765432", "+865718765432"),
    ("+86 10 6470 1122", "+861064701122"),
    ("4008123123", "+864008123123"),
    ("+14155550123", "+14155550123"),
    (13812345678, "+8613812345678"),  # an Excel cell typed as a number
])
def test_numbers_become_e164(raw, e164) -> None:
    assert to_e164(raw) == e164


@pytest.mark.parametrize(("raw", "reason"), [
    ("", "empty"),
    ("64701122", "without its area code"),
    ("12345678901", "not a Chinese mobile"),
    ("1381234567", "not a Chinese mobile"),
    ("+86 12345", "not a Chinese mobile"),
    ("+0123", "not an international number"),
    ("电话号码", "not a Chinese mobile"),
])
def test_bad_numbers_are_refused_with_the_reason(raw, reason) -> None:
    with pytest.raises(ValueError, match=reason):
        to_e164(raw)
