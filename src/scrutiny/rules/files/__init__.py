"""Files, permissions, temporary files and archives (SCR6xx)."""

from scrutiny.rules.base import Rule
from scrutiny.rules.files.archive_unsafe_extraction import ArchiveUnsafeExtraction
from scrutiny.rules.files.hardcoded_tmp_path import HardcodedTmpPath
from scrutiny.rules.files.insecure_temp_file import InsecureTempFile
from scrutiny.rules.files.permissive_file_mode import PermissiveFileMode

RULES: list[type[Rule]] = [PermissiveFileMode, InsecureTempFile, HardcodedTmpPath, ArchiveUnsafeExtraction]
