"""What went wrong when the computer, not the content, refuses: a full disk, a read-only folder.

`kb` and the build say the cause and the fix in Chinese, naming the file, instead of a traceback
or "not your content's problem" with nothing else.
"""

from __future__ import annotations

import errno

FULL = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}
DENIED = {errno.EACCES, errno.EPERM}
READ_ONLY = {errno.EROFS}
EXPLAINED = FULL | DENIED | READ_ONLY | {errno.ENOENT, errno.ENOTDIR, errno.EISDIR, errno.EEXIST}


def describe(exc: OSError) -> str:
    """One or two sentences: what could not be done to which file, why, and what to do."""
    where = f"“{exc.filename}”" if exc.filename else "文件"
    if exc.errno in FULL:
        return f"磁盘已满，无法写入{where}（{exc.strerror}）。请清理磁盘空间（或换一个空间足够的文件夹）后重新运行。"
    if exc.errno in READ_ONLY:
        return f"{where}所在的磁盘是只读的，无法写入（{exc.strerror}）。请换到可以写入的文件夹后重新运行。"
    if exc.errno in DENIED:
        return (
            f"没有权限写入{where}（{exc.strerror}）：文件夹是只读的，或属于其他用户。"
            "请检查文件夹的权限（或换一个有权限的文件夹）后重新运行。"
        )
    if exc.errno == errno.ENOENT:
        return f"找不到{where}（{exc.strerror}）。请检查路径（路径中有空格时请加引号）。"
    if exc.errno in (errno.ENOTDIR, errno.EEXIST, errno.EISDIR):
        return f"{where}的位置上已有同名的文件或文件夹（{exc.strerror}）。请改用另一个名字，或先移走它。"
    return f"无法读写{where}（{exc.strerror or type(exc).__name__}）。请检查磁盘和文件夹后重新运行。"
