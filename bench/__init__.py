"""Load generators and the performance report. Run `python -m bench --help`."""
