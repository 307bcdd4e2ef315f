"""Files, permissions, temporary files and archives (SCR6xx)."""

from scrutiny.rules.base import Rule
from scrutiny.rules.files.archive_unsafe_extraction import ArchiveUnsafeExtraction
from scrutiny.rules.files.check_then_use_race import CheckThenUseRace
from scrutiny.rules.files.database_check_then_insert import DatabaseCheckThenInsert
from scrutiny.rules.files.hardcoded_tmp_path import HardcodedTmpPath
from scrutiny.rules.files.insecure_temp_file import InsecureTempFile
from scrutiny.rules.files.permissive_file_mode import PermissiveFileMode
from scrutiny.rules.files.release_skipped_on_error import ReleaseSkippedOnError
from scrutiny.rules.files.temp_file_name_reused import TempFileNameReused
from scrutiny.rules.files.unsynchronized_shared_update import UnsynchronizedSharedUpdate

RULES: list[type[Rule]] = [
    PermissiveFileMode,
    InsecureTempFile,
    HardcodedTmpPath,
    ArchiveUnsafeExtraction,
    CheckThenUseRace,
    UnsynchronizedSharedUpdate,
    ReleaseSkippedOnError,
    DatabaseCheckThenInsert,
    TempFileNameReused,
]
