from scrutiny.cli import main

main(prog_name="scrutiny")
