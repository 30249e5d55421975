"""One small router per area; each handler calls :mod:`repgraph.service` and nothing else."""
