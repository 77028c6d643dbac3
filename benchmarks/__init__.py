"""Speed and memory benchmarks for guidance_audit, run with ``python -m benchmarks``.

Each measurement is compared with a baseline measured in the same run (A and B alternate, and
the median of each is taken), so the ratios hold across machines better than the raw timings.
Inputs are generated on the fly (see :mod:`benchmarks.inputs`). ``README.md`` in this folder
records the latest full run.
"""
