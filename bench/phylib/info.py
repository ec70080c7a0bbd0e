"""The phylib equivalent of `spikedock info <folder>` as a whole process (bench/cli.mjs):
phylib.io.model.load_model, then the figures `info` prints.
Usage: python3 info.py <phylib source folder> <dataset folder>"""
import sys

sys.path.insert(0, sys.argv[1])
from phylib.io.model import load_model  # noqa: E402

m = load_model(sys.argv[2] + '/params.py')
print(m.n_spikes, len(m.cluster_ids), m.n_templates, m.n_channels, m.sample_rate, m.duration)
