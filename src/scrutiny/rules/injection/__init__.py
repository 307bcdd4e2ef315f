"""Code and command execution, and injection into interpreters (SCR1xx)."""

from scrutiny.rules.base import Rule
from scrutiny.rules.injection.django_extra_sql import DjangoExtraSql
from scrutiny.rules.injection.django_raw_sql import DjangoRawSql
from scrutiny.rules.injection.eval_used import EvalUsed
from scrutiny.rules.injection.paramiko_exec_command import ParamikoExecCommand
from scrutiny.rules.injection.partial_executable_path import PartialExecutablePath
from scrutiny.rules.injection.sql_string_built import SqlStringBuilt
from scrutiny.rules.injection.start_process_non_literal import StartProcessNonLiteral
from scrutiny.rules.injection.start_process_with_shell import StartProcessWithShell
from scrutiny.rules.injection.subprocess_shell_true import SubprocessShellTrue
from scrutiny.rules.injection.wildcard_injection import WildcardInjection

RULES: list[type[Rule]] = [
    EvalUsed,
    SubprocessShellTrue,
    StartProcessWithShell,
    StartProcessNonLiteral,
    PartialExecutablePath,
    WildcardInjection,
    ParamikoExecCommand,
    SqlStringBuilt,
    DjangoExtraSql,
    DjangoRawSql,
]
