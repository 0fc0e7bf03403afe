"""Chinese numerals as documents number their parts: 一, 十, 十二, 二十一,
一百, 一百零一, 一百一十 — for any count of sections, not only the usual."""

_DIGITS = "零一二三四五六七八九"
_UNITS = ((1000, "千"), (100, "百"), (10, "十"))


def chinese_numeral(n: int) -> str:
    if n < 0:
        raise ValueError(f"no Chinese numeral for {n}")
    if n < 10:
        return _DIGITS[n]
    if n < 20:
        return "十" + (_DIGITS[n - 10] if n > 10 else "")  # 十二, not 一十二
    if n >= 10000:
        return str(n)  # no document numbers its parts this far
    out, gap = "", False
    for value, unit in _UNITS:
        digit, n = divmod(n, value)
        if digit:
            out += ("零" if gap else "") + _DIGITS[digit] + unit
            gap = False
        elif out:
            gap = True
    if n:
        out += ("零" if gap else "") + _DIGITS[n]
    return out
