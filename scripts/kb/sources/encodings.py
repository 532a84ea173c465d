"""Text files as offices save them. Notepad, WPS and Excel on Chinese Windows write "ANSI"
(GB18030) or "Unicode" (UTF-16 with its byte-order mark) as readily as UTF-8: every importer of
text (the plan's text, a CSV sheet) takes all three as they come."""

from __future__ import annotations

GBK = "GBK（GB18030，记事本里叫“ANSI”）"
UTF16 = "UTF-16（记事本里叫“Unicode”）"


def office_text(raw: bytes) -> tuple[str | None, str | None]:
    """(the text, the encoding it came in when not UTF-8); (None, None) when it is none of these."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16"), UTF16
        except UnicodeDecodeError:
            return None, None
    try:
        return raw.decode("utf-8-sig"), None
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("gb18030"), GBK
    except UnicodeDecodeError:
        return None, None
