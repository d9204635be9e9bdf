from unweave.scenario.cli import app

app(prog_name="python -m unweave.scenario")
