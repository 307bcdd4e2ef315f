"""An app with two eval findings, one of them suppressed."""


def calculate(expression):
    return eval(expression)


def run(code, env):
    exec(code, env)  # scrutiny: ignore[SCR101] -- the sandbox module vets `code`


def shell(command):
    return compile(  # hostile text in a comment: `backticks` <b>html</b> @mention |pipe|
        command, "<cmd>", "exec"
    )
