from repgraph.cli import app

app()
